package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.support.ChromiumBrowser;
import io.spoor.server.support.Harness;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.TestSpans;
import io.spoor.server.support.UiBrowser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web page the user happens to open, on another origin, in headless Chromium: with the default settings it cannot
 * store spans through any receiver, neither with a preflighted {@code fetch} nor with the "simple" requests a browser
 * sends without asking (a {@code no-cors} text/plain {@code fetch}, a form post). With the page's origin in
 * {@code cors.allowed_origins}, an OpenTelemetry-JS-style {@code fetch} export works.
 */
class ReceiverCorsBrowserTest {
    static HttpServer pages;
    static String pageOrigin;
    static UiBrowser browser;

    @BeforeAll
    static void start() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            byte[] page = "<!doctype html><html><body><iframe name=sink></iframe></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
        pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        browser = new ChromiumBrowser();
        browser.open(pageOrigin + "/");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        pages.stop(0);
    }

    @Test
    void aPageOnAnotherOriginCannotStoreSpansByDefault(@TempDir Path dir) {
        FailingSpanStore store = new FailingSpanStore();
        try (Harness spoor = Harness.start(Harness.config(dir), c -> store)) {
            String otlp = "http://127.0.0.1:" + spoor.server.otlpHttpPort() + "/v1/traces";
            String zipkin = "http://127.0.0.1:" + spoor.server.zipkinPort() + "/api/v2/spans";
            String otlpJson = new String(TestSpans.json(TestSpans.trace(TestSpans.randomTraceId(), "page", 2)),
                    StandardCharsets.UTF_8);
            // dated now, so that only the origin can keep it out (spoor.limits refuses spans older than retention)
            String zipkinJson = "[{\"traceId\":\"00000000000000e1\",\"id\":\"01\",\"name\":\"x\","
                    + "\"timestamp\":" + System.currentTimeMillis() * 1000 + ",\"localEndpoint\":{\"serviceName\":"
                    + "\"page\"}}]";

            assertThat(fetch(otlp, "application/json", "cors", otlpJson)).startsWith("error");
            assertThat(fetch(zipkin, "application/json", "cors", zipkinJson)).startsWith("error");
            // sent without a preflight; the page cannot read the answer, but the request reaches the server
            assertThat(fetch(otlp, "text/plain", "no-cors", otlpJson)).isEqualTo("opaque");
            assertThat(fetch(zipkin, "text/plain", "no-cors", zipkinJson)).isEqualTo("opaque");
            browser.js("const f = document.createElement('form'); f.method = 'POST'; f.action = arguments[0];"
                    + "f.enctype = 'text/plain'; f.target = 'sink'; const i = document.createElement('input');"
                    + "i.name = arguments[1]; i.value = ''; f.appendChild(i); document.body.appendChild(f);"
                    + "f.submit();", zipkin, zipkinJson);

            // the simple requests arrived and were refused (counted), and nothing of any request was stored
            browser.await("the no-cors and form posts reached the receivers", () ->
                    failed(spoor, "http") >= 1 && failed(spoor, "zipkin") >= 2);
            assertThat(store.spanCount()).isZero();
        }
    }

    @Test
    void anAllowedOriginExportsLikeOpenTelemetryJs(@TempDir Path dir) {
        FailingSpanStore store = new FailingSpanStore();
        ReceiverSettings.Listener open = ReceiverSettings.Listener.DEFAULTS.withAllowedOrigins(List.of(pageOrigin));
        ReceiverSettings settings = new ReceiverSettings(ReceiverSettings.Listener.DEFAULTS, open, open);
        try (Harness spoor = Harness.start(Harness.config(dir).withReceivers(settings), c -> store)) {
            String otlp = "http://127.0.0.1:" + spoor.server.otlpHttpPort() + "/v1/traces";
            String otlpJson = new String(TestSpans.json(TestSpans.trace(TestSpans.randomTraceId(), "web-app", 3)),
                    StandardCharsets.UTF_8);
            assertThat(fetch(otlp, "application/json", "cors", otlpJson)).isEqualTo("status 200");
            assertThat(store.spanCount()).isEqualTo(3);
        }
    }

    /** A fetch POST from the page: "status N", "opaque" (no-cors) or "error <name>". */
    private static String fetch(String url, String contentType, String mode, String body) {
        browser.js("window.__r = null; fetch(arguments[0], {method: 'POST', mode: arguments[2],"
                + " headers: {'Content-Type': arguments[1]}, body: arguments[3]})"
                + ".then(r => window.__r = r.type === 'opaque' ? 'opaque' : 'status ' + r.status)"
                + ".catch(e => window.__r = 'error ' + e.name)", url, contentType, mode, body);
        return (String) browser.awaitJs("return window.__r");
    }

    /** {@code spoor_receiver_failed_requests_total} of {@code transport}, any reason. */
    private static double failed(Harness spoor, String transport) {
        String metrics;
        try {
            metrics = new String(spoor.http.get(spoor.api("/metrics")).body(), StandardCharsets.UTF_8);
        } catch (UncheckedIOException e) {
            return 0;
        }
        Matcher m = Pattern.compile("spoor_receiver_failed_requests_total\\{reason=\"[a-z_]+\",transport=\""
                + transport + "\"} ([0-9.]+)").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
