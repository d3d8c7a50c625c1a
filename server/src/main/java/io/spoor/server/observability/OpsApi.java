package io.spoor.server.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health}: {@code 200 {"status":"up"}}, or 503 with
 * {@code {"status":"degraded","problems":[…]}} while something that takes writes fails (a full disk), or
 * {@code {"status":"down"}} while stopping.
 */
public final class OpsApi {
    private static final MediaType PROMETHEUS_TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    private final PrometheusMeterRegistry registry;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<Health> health;

    public OpsApi(PrometheusMeterRegistry registry, Supplier<Health> health) {
        this.registry = registry;
        this.health = health;
    }

    public void bind(ServerBuilder sb) {
        sb.route().get("/metrics").build((ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(
                () -> HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT),
                        HttpData.of(StandardCharsets.UTF_8, registry.scrape())), ctx.blockingTaskExecutor())));
        sb.route().get("/health").build((ctx, req) -> {
            Health h = health.get();
            return HttpResponse.of(h.status() == Health.Status.UP ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
                    MediaType.JSON_UTF_8, render(h));
        });
    }

    static String render(Health h) {
        ObjectNode body = JSON.createObjectNode().put("status", h.status().name().toLowerCase(Locale.ROOT));
        if (!h.problems().isEmpty()) {
            ArrayNode problems = body.putArray("problems");
            h.problems().forEach(problems::add);
        }
        return body.toString();
    }
}
