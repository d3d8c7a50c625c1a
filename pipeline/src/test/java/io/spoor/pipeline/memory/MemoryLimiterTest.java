package io.spoor.pipeline.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryLimiterTest {
    private static final long MIB = MemoryLimiterSettings.MIB;
    private final AtomicLong live = new AtomicLong();
    private final MemoryLimiter limiter = new MemoryLimiter(MemoryLimiterSettings.ofMib(100, 20), live::get);

    @Test
    void softLimitIsLimitMinusSpike() {
        assertThat(limiter.settings().softLimitBytes()).isEqualTo(80 * MIB);
    }

    @Test
    void admitsWhileLiveHeapAndReservationsStayBelowTheSoftLimit() {
        live.set(40 * MIB);
        assertThat(limiter.tryReserve(MIB)).isTrue(); // reserves 8 MiB of heap
        assertThat(limiter.reservedHeapBytes()).isEqualTo(8 * MIB);
    }

    @Test
    void refusesWhenLiveHeapIsAboveTheSoftLimit() {
        live.set(81 * MIB);
        assertThat(limiter.tryReserve(1)).isFalse();
        assertThat(limiter.reservedHeapBytes()).isZero();
    }

    @Test
    void countsAdmittedButUnstoredExportsBeforeTheNextGcSeesThem() {
        live.set(40 * MIB);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryReserve(MIB)).isTrue(); // 5 x 8 MiB = 40 MiB reserved
        }
        assertThat(limiter.tryReserve(MIB)).as("40 live + 40 reserved + 8 > 80").isFalse();
        limiter.release(MIB);
        assertThat(limiter.tryReserve(MIB)).isTrue();
    }

    @Test
    void defaultsFollowTheCollectorsPercentages() {
        MemoryLimiterSettings s = MemoryLimiterSettings.forMaxHeap(1000 * MIB);
        assertThat(s.limitBytes()).isEqualTo(800 * MIB);
        assertThat(s.spikeLimitBytes()).isEqualTo(160 * MIB);
    }

    @Test
    void rejectsASpikeLimitNotBelowTheLimit() {
        assertThatThrownBy(() -> MemoryLimiterSettings.ofMib(100, 100))
                .hasMessageContaining("spike_limit_mib");
    }

    @Test
    void gcProbeReportsAPositiveLiveHeapAfterACollection() {
        try (GcHeapProbe probe = new GcHeapProbe()) {
            System.gc();
            assertThat(probe.liveHeapBytes()).isPositive();
        }
    }
}
