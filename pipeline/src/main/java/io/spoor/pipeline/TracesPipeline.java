package io.spoor.pipeline;

/** What receivers talk to: admission first, then submission of decoded spans. */
public interface TracesPipeline extends AutoCloseable {

    /**
     * Asks to admit an export whose request body is {@code wireBytes} long (after decompression).
     * Never blocks.
     */
    Admission admit(long wireBytes);

    /** Stops accepting, flushes what was admitted, and waits for it to be stored. */
    @Override
    void close();
}
