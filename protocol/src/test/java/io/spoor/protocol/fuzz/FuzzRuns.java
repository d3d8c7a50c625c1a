package io.spoor.protocol.fuzz;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the inputs a fuzz test ran and prints the count when it ends ({@code fuzz: <test> ran N inputs} in the test's
 * output file): libFuzzer prints its own statistics natively, past the output Surefire captures.
 */
final class FuzzRuns {
    private final String test;
    private final LongAdder runs = new LongAdder();

    FuzzRuns(Class<?> test) {
        this.test = test.getSimpleName();
    }

    void count() {
        runs.increment();
    }

    void report() {
        System.out.println("fuzz: " + test + " ran " + runs.sum() + " inputs");
    }
}
