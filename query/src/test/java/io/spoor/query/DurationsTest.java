package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesGoAndJaegerStyleDurations() {
        assertThat(Durations.parseNanos("d", "150ms")).isEqualTo(150_000_000L);
        assertThat(Durations.parseNanos("d", "1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Durations.parseNanos("d", "2m")).isEqualTo(120_000_000_000L);
        assertThat(Durations.parseNanos("d", "500us")).isEqualTo(500_000L);
        assertThat(Durations.parseNanos("d", "500µs")).isEqualTo(500_000L);
        assertThat(Durations.parseNanos("d", "1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(Durations.parseNanos("d", "7d")).isEqualTo(7 * 86_400_000_000_000L);
        assertThat(Durations.parseNanos("d", "12345")).isEqualTo(12345L);
    }

    @Test
    void rejectsMalformedDurationsNamingTheParameter() {
        for (String bad : new String[] {"", "ms", "1.5", "10 parsecs", "1x", "-5s", "1..2s"}) {
            assertThatThrownBy(() -> Durations.parseNanos("minDuration", bad))
                    .isInstanceOf(InvalidQueryException.class)
                    .hasMessageStartingWith("minDuration")
                    .satisfies(e -> assertThat(((InvalidQueryException) e).parameter()).isEqualTo("minDuration"));
        }
    }
}
