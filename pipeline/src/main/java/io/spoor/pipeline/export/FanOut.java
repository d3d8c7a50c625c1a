package io.spoor.pipeline.export;

import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Several exporters: each gets every span, and the export is acknowledged when all of them have it. If one fails,
 * the client retries the whole export; the others then see those spans twice, which storage tolerates (DESIGN:
 * duplicates happen).
 */
public final class FanOut implements SpanConsumer {
    private final List<SpanConsumer> exporters;

    public FanOut(List<SpanConsumer> exporters) {
        this.exporters = List.copyOf(exporters);
    }

    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        if (exporters.size() == 1) {
            return exporters.getFirst().consume(spans);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[exporters.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = exporters.get(i).consume(spans);
        }
        return CompletableFuture.allOf(all);
    }
}
