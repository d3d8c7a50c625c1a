package io.spoor.pipeline.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.storage.SpanWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The {@code spoor} exporter: the embedded store; its future completes when the spans are durable. */
public final class StoreExporter implements SpanConsumer {
    private final SpanWriter writer;
    private final Counter sent;
    private final Counter failed;

    public StoreExporter(String id, SpanWriter writer, MeterRegistry registry) {
        this.writer = writer;
        this.sent = Counter.builder("spoor_exporter_sent_spans").tag("exporter", id)
                .description("Spans the backend accepted").register(registry);
        this.failed = Counter.builder("spoor_exporter_send_failed_spans").tag("exporter", id)
                .description("Spans given up on: a permanent error, or retries exhausted").register(registry);
    }

    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        CompletableFuture<Void> written;
        try {
            written = writer.write(spans);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.whenComplete((ok, error) -> (error == null ? sent : failed).increment(spans.size()));
    }
}
