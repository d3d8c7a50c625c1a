package io.spoor.pipeline.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.storage.SpanWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code spoor} exporter: Spoor's store; its future completes when the spans are durable. A batch the store made
 * durable then goes to {@code afterStore} (the service-dependency stage), whose outcome never changes the answer: the
 * spans are stored whatever it does with them.
 */
public final class StoreExporter implements SpanConsumer {
    private static final Logger log = LoggerFactory.getLogger(StoreExporter.class);
    private final SpanWriter writer;
    private final SpanConsumer afterStore;
    private final Counter sent;
    private final Counter failed;

    public StoreExporter(String id, SpanWriter writer, SpanConsumer afterStore, MeterRegistry registry) {
        this.writer = writer;
        this.afterStore = afterStore;
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
        return written.whenComplete((ok, error) -> {
            if (error != null) {
                failed.increment(spans.size());
                return;
            }
            sent.increment(spans.size());
            try {
                afterStore.consume(spans);
            } catch (RuntimeException e) {
                log.warn("the stage after the store failed on a stored batch of {} spans", spans.size(), e);
            }
        });
    }
}
