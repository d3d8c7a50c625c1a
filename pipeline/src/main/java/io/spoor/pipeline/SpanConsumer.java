package io.spoor.pipeline;

import io.spoor.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stage of the traces pipeline after admission: a processor or an exporter. The future completes when the
 * spans are as safe as this stage (and everything after it) makes them, which is what the receiver acknowledges:
 * "durable" for the Spoor store, "queued" for a forwarding exporter, "in its write-ahead log" for the tail
 * sampler ("buffered" with its log turned off) (docs/architecture.md, acknowledgements).
 */
@FunctionalInterface
public interface SpanConsumer {
    CompletableFuture<Void> consume(List<Span> spans);
}
