package io.spoor.server.observability;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** {@code GET /metrics} (Prometheus text format) and {@code GET /health}. */
public final class OpsApi {
    private static final MediaType PROMETHEUS_TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier healthy;

    public OpsApi(PrometheusMeterRegistry registry, BooleanSupplier healthy) {
        this.registry = registry;
        this.healthy = healthy;
    }

    public void bind(ServerBuilder sb) {
        sb.route().get("/metrics").build((ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(
                () -> HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT),
                        HttpData.of(StandardCharsets.UTF_8, registry.scrape())), ctx.blockingTaskExecutor())));
        sb.route().get("/health").build((ctx, req) -> {
            boolean up = healthy.getAsBoolean();
            return HttpResponse.of(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                    up ? "{\"status\":\"up\"}" : "{\"status\":\"down\"}");
        });
    }
}
