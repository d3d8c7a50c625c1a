package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.spoor.model.TraceId;
import io.spoor.server.support.ChromiumBrowser;
import io.spoor.server.support.Harness;
import io.spoor.server.support.TestSpans;
import io.spoor.server.support.UiBrowser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * In headless Chromium, with Spoor's defaults: a page served from another localhost port (any site the user opens
 * could be it) can read nothing from Spoor's query APIs — its fetches fail CORS although Spoor answers them — while
 * the web UI, served by Spoor itself, still reads and shows the trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginBrowserTest {
    Harness spoor;
    HttpServer otherSite;
    UiBrowser browser;
    TraceId trace;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        spoor = Harness.start(Harness.config(dir));
        trace = TestSpans.randomTraceId();
        assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(TestSpans.trace(trace, "secret-svc",
                3)), "Content-Type", "application/x-protobuf").statusCode()).isEqualTo(200);
        for (int i = 0; spoor.http.get(spoor.api("/api/v1/traces/" + trace.toHex())).statusCode() != 200; i++) {
            assertThat(i).as("the trace becomes readable").isLessThan(100);
            Thread.sleep(100);
        }
        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>another site</title><p>another site</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherSite.start();
        browser = new ChromiumBrowser();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (otherSite != null) {
            otherSite.stop(0);
        }
        spoor.close();
    }

    /** What a page's fetch of {@code url} got: the body's first bytes, or why it failed. */
    private String fetchFromPage(String url) {
        return (String) browser.js("return fetch(arguments[0]).then(r => r.text()).then(t => 'read: ' + t.slice(0, 80),"
                + " e => 'failed: ' + e.name)", url);
    }

    @Test
    void aPageFromAnotherLocalhostPortCanReadNothing() {
        browser.open("http://localhost:" + otherSite.getAddress().getPort() + "/");
        assertThat(browser.text("p")).isEqualTo("another site");
        String id = trace.toHex();
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            String api = "http://" + host + ":" + spoor.server.httpPort();
            String zipkin = "http://" + host + ":" + spoor.server.zipkinPort();
            for (String url : new String[] {api + "/api/v1/traces/" + id, api + "/api/v1/services",
                    api + "/api/traces/" + id, api + "/api/v3/traces/" + id, zipkin + "/api/v2/trace/" + id,
                    zipkin + "/api/v2/services"}) {
                assertThat(fetchFromPage(url)).as(url).isEqualTo("failed: TypeError");
                // Spoor did answer: a no-cors fetch gets an opaque response, whose body the page cannot see
                assertThat(browser.js("return fetch(arguments[0], {mode: 'no-cors'}).then(r => r.type + ' '"
                        + " + r.status, e => 'failed')", url)).as(url).isEqualTo("opaque 0");
            }
        }
    }

    @Test
    void theUiItselfStillReadsAndShowsTheTrace() {
        String base = "http://127.0.0.1:" + spoor.server.httpPort();
        browser.open(base + "/trace/" + trace.toHex());
        browser.waitFor("#trace-header");
        assertThat(browser.text("#trace-header")).contains("secret-svc");
        assertThat(fetchFromPage(base + "/api/v1/traces/" + trace.toHex())).startsWith("read: {\"traceId\":\""
                + trace.toHex());
        assertThat(fetchFromPage("/api/v1/services")).contains("secret-svc");
        browser.open("http://localhost:" + spoor.server.httpPort() + "/search?service=secret-svc");
        browser.waitFor("#app");
        assertThat(fetchFromPage("/api/v1/traces?service=secret-svc")).contains(trace.toHex());
    }
}
