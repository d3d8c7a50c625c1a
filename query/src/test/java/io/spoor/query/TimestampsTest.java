package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final long NANOS = 1_795_540_999_262_000_000L;

    @Test
    void readsTheEpochUnitFromTheNumberOfDigits() {
        assertThat(Timestamps.parseEpochNanos("start", "1795540999")).isEqualTo(1_795_540_999_000_000_000L);
        assertThat(Timestamps.parseEpochNanos("start", "1795540999262")).isEqualTo(NANOS);
        assertThat(Timestamps.parseEpochNanos("start", "1795540999262000")).isEqualTo(NANOS);
        assertThat(Timestamps.parseEpochNanos("start", "1795540999262000000")).isEqualTo(NANOS);
    }

    @Test
    void readsRfc3339WithAnyOffset() {
        assertThat(Timestamps.parseEpochNanos("end", "1970-01-01T00:00:01.5Z")).isEqualTo(1_500_000_000L);
        assertThat(Timestamps.parseEpochNanos("end", "1970-01-01T01:00:01+01:00")).isEqualTo(1_000_000_000L);
    }

    @Test
    void rejectsWhatIsNotATime() {
        for (String bad : new String[] {"", "yesterday", "2026-13-01T00:00:00Z", "99999999999999999999", "-1"}) {
            assertThatThrownBy(() -> Timestamps.parseEpochNanos("start", bad))
                    .isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("start");
        }
    }
}
