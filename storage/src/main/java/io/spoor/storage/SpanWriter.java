package io.spoor.storage;

import io.spoor.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The write side of the storage SPI. */
public interface SpanWriter {

    /**
     * Stores a batch. The returned future completes only when the batch is durable against a process crash
     * ({@code kill -9}); that completion is what a receiver acknowledges to its client. It completes
     * exceptionally when the batch could not be made durable. Writing a span twice (client retries) must not
     * make it appear twice on the read side.
     */
    CompletableFuture<Void> write(List<Span> spans);
}
