package io.spoor.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import org.junit.jupiter.api.Test;

class TraceByteBudgetTest {
    static final long WINDOW = 1_000;

    @Test
    void countsEachTraceAgainstItsBudgetWithinTheWindow() {
        TraceByteBudget budget = new TraceByteBudget(100, WINDOW, 1024);
        TraceId a = new TraceId(1, 1);
        TraceId b = new TraceId(1, 2);

        assertThat(budget.tryAdd(a, 60, 0)).isTrue();
        assertThat(budget.tryAdd(a, 50, 10)).isFalse(); // would be 110
        assertThat(budget.tryAdd(a, 40, 20)).isTrue(); // exactly 100
        assertThat(budget.tryAdd(b, 100, 30)).isTrue(); // another trace, its own budget
        assertThat(budget.tryAdd(a, 1, WINDOW - 1)).isFalse();
        assertThat(budget.tryAdd(a, 1, WINDOW)).isTrue(); // a new window
        assertThat(budget.tryAdd(new TraceId(9, 9), 101, 0)).isFalse(); // one span over the whole budget
    }

    @Test
    void itsTableHasAFixedSizeWhateverTheNumberOfTraces() {
        TraceByteBudget budget = new TraceByteBudget(100, WINDOW, 1000);
        int capacity = budget.capacity();
        assertThat(capacity).isBetween(1000, 2048);

        for (long t = 1; t <= 100_000; t++) {
            assertThat(budget.tryAdd(new TraceId(0, t), 10, 0)).isTrue(); // never refuses a trace within its budget
        }

        assertThat(budget.capacity()).isEqualTo(capacity);
        assertThat(budget.evictions()).isEqualTo(100_000 - capacity);
    }

    @Test
    void whenFullItForgetsTheTraceTouchedLongestAgoSoABusyTraceKeepsItsCount() {
        TraceByteBudget budget = new TraceByteBudget(100, 1_000_000, 8); // one set of 8 slots
        TraceId busy = new TraceId(42, 42);
        assertThat(budget.tryAdd(busy, 90, 0)).isTrue();

        for (long t = 1; t <= 1000; t++) {
            budget.tryAdd(new TraceId(7, t), 1, t);
            budget.tryAdd(busy, 0, t); // the busy trace is written to all along
        }

        assertThat(budget.tryAdd(busy, 20, 2000)).as("still counted: 90 + 20 > 100").isFalse();
    }

    @Test
    void aForgottenTraceStartsAgainFromZero() {
        TraceByteBudget budget = new TraceByteBudget(100, 1_000_000, 8);
        TraceId quiet = new TraceId(42, 42);
        assertThat(budget.tryAdd(quiet, 90, 0)).isTrue();
        for (long t = 1; t <= 8; t++) {
            budget.tryAdd(new TraceId(7, t), 1, t); // eight newer traces fill the set
        }

        assertThat(budget.tryAdd(quiet, 90, 100)).as("lenient after overflow, never strict").isTrue();
        assertThat(budget.evictions()).isGreaterThanOrEqualTo(1);
    }
}
