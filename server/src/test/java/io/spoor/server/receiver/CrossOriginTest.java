package io.spoor.server.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.TestSpans;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsers and the receivers over HTTP: with no setting no origin may post (a request carrying an {@code Origin} is
 * refused, preflights are not answered); {@code cors.allowed_origins} opens the listed ones. Requests without an
 * {@code Origin} (every exporter outside a browser) are not affected. {@code ReceiverCorsBrowserTest} shows the same
 * from a real browser.
 */
class CrossOriginTest {
    private static final String PAGE = "http://127.0.0.1:5173";
    private static final String ELSEWHERE = "http://evil.example";

    @Test
    void refusesPostsFromAnyOriginByDefaultAndAnswersNoPreflight(@TempDir Path dir) {
        FailingSpanStore store = new FailingSpanStore();
        try (Harness spoor = Harness.start(Harness.config(dir), c -> store)) {
            byte[] json = TestSpans.json(TestSpans.trace(TestSpans.randomTraceId(), "from-a-page", 2));
            HttpResponse<byte[]> otlp = post(spoor.http, spoor.otlpHttp("/v1/traces"), json, PAGE);
            assertThat(otlp.statusCode()).isEqualTo(403);
            assertThat(Http.json(otlp).path("message").asText())
                    .contains("'" + PAGE + "'", "receivers.otlp.protocols.http.cors.allowed_origins");
            assertThat(otlp.headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(preflight(spoor.http, spoor.otlpHttp("/v1/traces"), PAGE)
                    .headers().firstValue("access-control-allow-origin")).isEmpty();

            byte[] zipkinJson = "[{\"traceId\":\"00000000000000c1\",\"id\":\"01\",\"name\":\"x\",\"timestamp\":1,\"localEndpoint\":{\"serviceName\":\"from-a-page\"}}]".getBytes();
            HttpResponse<byte[]> zipkin = post(spoor.http, spoor.zipkin("/api/v2/spans"), zipkinJson, PAGE);
            assertThat(zipkin.statusCode()).isEqualTo(403);
            assertThat(new String(zipkin.body())).contains("receivers.zipkin.cors.allowed_origins");

            assertThat(store.spanCount()).isZero();
            assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), json, "Content-Type", "application/json")
                    .statusCode()).as("the same export without an Origin").isEqualTo(200);
        }
    }

    @Test
    void opensTheOriginsItIsGivenAndOnlyThose(@TempDir Path dir) {
        FailingSpanStore store = new FailingSpanStore();
        ReceiverSettings.Listener open = ReceiverSettings.Listener.DEFAULTS.withAllowedOrigins(List.of(PAGE));
        ReceiverSettings settings = new ReceiverSettings(ReceiverSettings.Listener.DEFAULTS, open, open);
        try (Harness spoor = Harness.start(Harness.config(dir).withReceivers(settings), c -> store)) {
            HttpResponse<byte[]> pre = preflight(spoor.http, spoor.otlpHttp("/v1/traces"), PAGE);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).contains(PAGE);
            assertThat(pre.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");

            byte[] json = TestSpans.json(TestSpans.trace(TestSpans.randomTraceId(), "allowed-page", 2));
            HttpResponse<byte[]> r = post(spoor.http, spoor.otlpHttp("/v1/traces"), json, PAGE);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin")).contains(PAGE);
            assertThat(store.spanCount()).isEqualTo(2);

            assertThat(post(spoor.http, spoor.otlpHttp("/v1/traces"), json, ELSEWHERE).statusCode()).isEqualTo(403);
            assertThat(preflight(spoor.http, spoor.otlpHttp("/v1/traces"), ELSEWHERE)
                    .headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(store.spanCount()).isEqualTo(2);
        }
    }

    private static HttpResponse<byte[]> post(Http http, URI uri, byte[] body, String origin) {
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header("Origin", origin).build());
    }

    private static HttpResponse<byte[]> preflight(Http http, URI uri, String origin) {
        return http.send(HttpRequest.newBuilder(uri).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build());
    }
}
