package io.spoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void readsGoStyleDurationsWithFractionsAndCompoundParts() {
        assertThat(GoDuration.parseNanos("150ms")).isEqualTo(150_000_000L);
        assertThat(GoDuration.parseNanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(GoDuration.parseNanos("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDuration.parseNanos("500us")).isEqualTo(500_000L);
        assertThat(GoDuration.parseNanos("500µs")).isEqualTo(500_000L);
        assertThat(GoDuration.parseNanos("7d")).isEqualTo(7 * 86_400_000_000_000L);
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> GoDuration.parseNanos("5parsecs")).hasMessageContaining("unknown unit 'parsecs'");
        assertThatThrownBy(() -> GoDuration.parseNanos("soon")).hasMessageContaining("must start each part with a number");
        assertThatThrownBy(() -> GoDuration.parseNanos("15")).hasMessageContaining("needs a unit after 15");
        assertThatThrownBy(() -> GoDuration.parseNanos("")).hasMessage("is empty");
        assertThatThrownBy(() -> GoDuration.parseNanos("999999999999h")).hasMessage("is too large");
    }
}
