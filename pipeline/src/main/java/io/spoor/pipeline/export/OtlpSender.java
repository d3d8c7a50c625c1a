package io.spoor.pipeline.export;

import java.util.concurrent.CompletableFuture;

/** Sends one encoded {@code ExportTraceServiceRequest}; never completes exceptionally. */
interface OtlpSender extends AutoCloseable {
    CompletableFuture<SendResult> send(byte[] request);

    @Override
    void close();
}
