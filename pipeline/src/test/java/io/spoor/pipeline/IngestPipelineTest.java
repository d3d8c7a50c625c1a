package io.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.pipeline.memory.MemoryLimiter;
import io.spoor.pipeline.memory.MemoryLimiterSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
    private static final long MIB = MemoryLimiterSettings.MIB;
    // soft limit 80 MiB of heap; each wire byte reserves 8 heap bytes, so 10 MiB of wire fills it
    private final MemoryLimiter limiter = new MemoryLimiter(MemoryLimiterSettings.ofMib(100, 20), () -> 0);
    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private final IngestPipeline pipeline = new IngestPipeline(limiter, spans -> stored, List.of(),
            new SimpleMeterRegistry());

    @Test
    void growsAReservationAsABodyArrivesUntilTheLimiterRefusesAndKeepsWhatItHeld() {
        Admission.Admitted a = (Admission.Admitted) pipeline.admit(4 * MIB);
        assertThat(a.grow(4 * MIB)).isSameAs(a);
        assertThat(limiter.reservedHeapBytes()).isEqualTo(64 * MIB);

        Admission refused = a.grow(4 * MIB);
        assertThat(refused).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) refused).reason()).isEqualTo(Admission.Reason.MEMORY_LIMIT);
        assertThat(limiter.reservedHeapBytes()).as("the refused growth reserved nothing").isEqualTo(64 * MIB);

        a.cancel();
        assertThat(limiter.reservedHeapBytes()).isZero();
        a.cancel();
        assertThat(limiter.reservedHeapBytes()).as("cancel is idempotent").isZero();
    }

    @Test
    void releasesTheGrownReservationWhenTheSubmittedSpansAreStored() {
        Admission.Admitted a = (Admission.Admitted) pipeline.admit(MIB);
        a.grow(MIB);
        CompletableFuture<Void> done = a.submit(List.of());
        assertThat(limiter.reservedHeapBytes()).as("held until stored").isEqualTo(16 * MIB);
        a.cancel();
        assertThat(limiter.reservedHeapBytes()).as("cancel after submit changes nothing").isEqualTo(16 * MIB);
        stored.complete(null);
        assertThat(done).isCompleted();
        assertThat(limiter.reservedHeapBytes()).isZero();
    }
}
