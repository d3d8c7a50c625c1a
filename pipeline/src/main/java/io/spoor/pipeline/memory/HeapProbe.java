package io.spoor.pipeline.memory;

/** Reports how much of the heap is live. Separate from the limiter so that its decisions can be tested exactly. */
@FunctionalInterface
public interface HeapProbe {
    long liveHeapBytes();
}
