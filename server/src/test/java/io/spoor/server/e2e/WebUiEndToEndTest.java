package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.spoor.server.support.UiBrowser;
import io.spoor.server.support.Harness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real headless browser against a real Spoor, fed by the OpenTelemetry Java SDK: a checkout
 * whose payment fails, known to the millisecond, so that the waterfall rows, the critical path and the error
 * origin have known answers, and a call whose child host's clock runs behind. Every test runs in Chromium
 * ({@link ChromiumWebUiEndToEndTest}) and in Firefox ({@link FirefoxWebUiEndToEndTest}). Screenshots of every page
 * land in server/target/ui-e2e/, named after the browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebUiEndToEndTest {
    Harness spoor;
    UiBrowser browser;
    String failedCheckout;
    SpanContext failedCheckoutRoot;
    String skewedTrace;
    String skewedLedgerSpan;
    String base;

    /** The browser this run drives; each subclass runs every test below in its own. */
    abstract UiBrowser newBrowser();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        spoor = Harness.start(Harness.config(dir));
        base = "http://127.0.0.1:" + spoor.server.httpPort();
        Instant t0 = Instant.now().minusSeconds(5);
        failedCheckout = sendCheckout(t0, "alice", true);
        failedCheckoutRoot = lastRoot;
        sendCheckout(t0.plusMillis(500), "bob", false);
        skewedTrace = sendSkewedLookup(t0.plusMillis(1000));
        await(() -> spoor.http.get(spoor.api("/api/v1/traces?service=shop-payments&limit=5")).body().length > 40);
        await(() -> spoor.http.get(spoor.api("/api/v1/traces/" + skewedTrace)).statusCode() == 200);
        browser = newBrowser();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        spoor.close();
    }

    /**
     * frontend POST /checkout 0–100 ms → orders place order 5–95 → inventory reserve stock 10–30, cache lookup
     * 12–20 (orders), payments charge card 40–90 (ERROR, exception "card declined"). Critical path: every span but
     * the cache lookup, which finishes before the stock reservation it runs beside.
     */
    String sendCheckout(Instant t0, String customer, boolean fail) {
        List<SdkTracerProvider> providers = new ArrayList<>();
        Tracer frontend = tracer(providers, "shop-frontend");
        Tracer orders = tracer(providers, "shop-orders");
        Tracer inventory = tracer(providers, "shop-inventory");
        Tracer payments = tracer(providers, "shop-payments");
        Span root = frontend.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).setStartTimestamp(t0)
                .setAttribute("shop.customer", customer).startSpan();
        Context rc = Context.root().with(root);
        Span order = orders.spanBuilder("place order").setParent(rc).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(t0.plusMillis(5)).startSpan();
        Context oc = Context.root().with(order);
        inventory.spanBuilder("reserve stock").setParent(oc).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(t0.plusMillis(10)).startSpan().end(t0.plusMillis(30));
        orders.spanBuilder("cache lookup").setParent(oc).setStartTimestamp(t0.plusMillis(12)).startSpan()
                .end(t0.plusMillis(20));
        Span charge = payments.spanBuilder("charge card").setParent(oc).setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(t0.plusMillis(40)).startSpan();
        if (fail) {
            charge.recordException(new IllegalStateException("card declined"),
                    Attributes.of(AttributeKey.stringKey("shop.card"), "0002"));
            charge.setStatus(StatusCode.ERROR, "payment failed");
            order.setStatus(StatusCode.ERROR, "payment failed");
        }
        charge.end(t0.plusMillis(90));
        order.end(t0.plusMillis(95));
        root.end(t0.plusMillis(100));
        flush(providers);
        lastRoot = root.getSpanContext();
        return root.getSpanContext().getTraceId();
    }

    SpanContext lastRoot;

    static void flush(List<SdkTracerProvider> providers) {
        for (SdkTracerProvider p : providers) {
            p.forceFlush().join(10, TimeUnit.SECONDS);
            p.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    Tracer tracer(List<SdkTracerProvider> providers, String service) {
        return tracer(providers, service, "shop-host-1");
    }

    Tracer tracer(List<SdkTracerProvider> providers, String service, String host) {
        SdkTracerProvider p = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service,
                                AttributeKey.stringKey("host.name"), host))))
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + spoor.server.otlpGrpcPort()).build()))
                .build();
        providers.add(p);
        return p.get("webui-test");
    }

    static void await(java.util.function.BooleanSupplier ok) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (ok.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition never held");
    }

    /**
     * skew-gateway GET /balance 0–100 ms on host gw-1 → skew-ledger read balance, recorded on host ledger-7 whose
     * clock runs 2 s behind: the child "starts" 2 s before its parent, so the query side shifts it into the parent
     * and says so.
     */
    String sendSkewedLookup(Instant t0) {
        List<SdkTracerProvider> providers = new ArrayList<>();
        Tracer gateway = tracer(providers, "skew-gateway", "gw-1");
        Tracer ledger = tracer(providers, "skew-ledger", "ledger-7");
        Span root = gateway.spanBuilder("GET /balance").setSpanKind(SpanKind.SERVER).setStartTimestamp(t0).startSpan();
        // linked to a stored trace (clickable) and to one this Spoor never received (marked not found)
        Span child = ledger.spanBuilder("read balance").setParent(Context.root().with(root)).setSpanKind(SpanKind.SERVER)
                .addLink(failedCheckoutRoot)
                .addLink(SpanContext.create("0123456789abcdef0123456789abcdef", "0123456789abcdef",
                        TraceFlags.getSampled(), TraceState.getDefault()))
                .setStartTimestamp(t0.minusMillis(2000)).startSpan();
        skewedLedgerSpan = child.getSpanContext().getSpanId();
        child.end(t0.minusMillis(1960));
        root.end(t0.plusMillis(100));
        flush(providers);
        return root.getSpanContext().getTraceId();
    }

    @Test
    @Order(1)
    void searchByServiceAndTagFindsTheOneMatchingTrace() {
        browser.open(base + "/");
        browser.waitFor("#search-form");
        browser.type("input[name=service]", "shop-frontend");
        browser.type("input[name=tags]", "shop.customer=alice");
        browser.select("select[name=lookback]", "all");
        browser.click("#search-form button[type=submit]");
        browser.awaitCount("#result-list .result", 1);
        assertThat(browser.attribute("#result-list .result", "data-trace-id")).isEqualTo(failedCheckout);
        assertThat(browser.text("#result-list .result")).contains("shop-frontend: POST /checkout", "5 spans",
                "2 errors", "shop-payments (1)");
        assertThat(browser.currentUrl()).contains("/search?", "service=shop-frontend", "tag=shop.customer%3Dalice");
        assertThat(browser.count("#scatter canvas")).isPositive();
        browser.screenshot("search");
    }

    @Test
    @Order(2)
    void traceShowsTheWaterfallCriticalPathAndErrorOrigin() {
        browser.open(base + "/search?service=shop-frontend&tag=shop.customer%3Dalice&lookback=all");
        browser.click("#result-list .result a");
        awaitTraceReady();
        assertThat(browser.currentUrl()).endsWith("/trace/" + failedCheckout);

        assertThat(browser.js("return [...document.querySelectorAll('#waterfall .row')].map(r =>"
                + " r.querySelector('.svc-name').innerText + ' ' + r.querySelector('.op').innerText)"))
                .isEqualTo(List.of("shop-frontend POST /checkout", "shop-orders place order",
                        "shop-inventory reserve stock", "shop-orders cache lookup", "shop-payments charge card"));
        assertThat(browser.attributes("#waterfall .row", "data-critical")).containsExactly(
                "true", "true", "true", null, "true");
        assertThat(browser.count("#waterfall .row.error")).isEqualTo(2);

        assertThat(browser.text("#error-origin")).contains("Failure started in shop-payments", "charge card",
                "IllegalStateException: card declined");
        assertThat(browser.text("#trace-header").replaceAll("\\s+", " ")).contains("SPANS 5", "ERRORS 2", "100ms");
        assertThat(browser.text("#latency-by-service")).contains("shop-payments 50ms");
        assertThat(browser.count("#skew-warning")).isZero();
        browser.screenshot("trace");
    }

    @Test
    @Order(3)
    void clickingTheErrorOriginOpensTheSpanDetail() {
        browser.click("#error-origin");
        String text = browser.text("#span-detail .detail-inner");
        assertThat(text).contains("charge card", "shop-payments", "SERVER", "ERROR: payment failed",
                "SELF TIME", "50ms", "exception", "java.lang.IllegalStateException", "card declined",
                "shop.card", "service.name", "webui-test");
        assertThat(browser.text("#span-detail pre.stack")).contains("at io.spoor.server.e2e.WebUiEndToEndTest");
        String spanId = browser.attribute("#span-detail .detail-inner", "data-span-id");
        assertThat(browser.currentUrl()).contains("?span=" + spanId);
        browser.screenshot("trace-span-detail");

        // the deep link selects the same span after a reload; arrow keys move the selection
        browser.open(browser.currentUrl());
        browser.waitFor("#span-detail .detail-inner");
        assertThat(browser.text("#waterfall .row.selected")).contains("charge card");
        browser.press(UiBrowser.ARROW_UP);
        browser.awaitJs("const r = document.querySelector('#waterfall .row.selected');"
                + " return r !== null && r.innerText.includes('cache lookup')");
    }

    @Test
    @Order(4)
    void serviceMapShowsTheCallsWithCountsAndLeadsToTheServicesTraces() {
        browser.open(base + "/services");
        browser.waitFor("#service-map svg");
        assertThat(browser.count("#service-map g.edge[data-parent='shop-frontend'][data-child='shop-orders']"))
                .isEqualTo(1);
        // SVG elements have no innerText; their labels are plain text content
        assertThat(browser.js("return document.querySelector(arguments[0]).textContent",
                "#service-map g.edge[data-parent='shop-orders'][data-child='shop-payments']"))
                .isEqualTo("2 calls · 1 err");
        browser.screenshot("services");
        browser.click("#service-map a.node[data-service='shop-payments']");
        browser.await("the search for shop-payments opened",
                () -> browser.currentUrl().contains("/search?service=shop-payments"));
    }

    @Test
    @Order(5)
    void aSpanShiftedForClockSkewIsFlaggedInTheHeaderRowAndDetail() {
        browser.open(base + "/trace/" + skewedTrace);
        awaitTraceReady();
        assertThat(browser.text("#skew-warning")).contains("1 span was adjusted for clock skew");
        assertThat(browser.count("#waterfall .row .skew-icon")).isEqualTo(1);
        browser.click("#waterfall .row[title='skew-ledger: read balance'] .op");
        assertThat(browser.text("#span-warnings")).containsIgnoringCase("clock skew");
        // shifted into the middle of its 100 ms parent: 30 ms after the trace starts, not 2 s before
        assertThat(browser.text("#span-detail .detail-inner")).contains("read balance", "40ms");
        browser.awaitJs("return document.querySelector('#span-detail ul.links').innerText.includes('(not found)')");
        assertThat(browser.text("#span-detail ul.links")).contains(
                "0123456789abcdef0123456789abcdef / 0123456789abcdef (not found)");
        browser.screenshot("trace-clock-skew");

        // the link to the stored trace opens it with the linked span selected
        browser.click("#span-detail ul.links a[href^='/trace/" + failedCheckout + "']");
        // the page is replaced in place: wait for the new trace's selected row, not just any ready flag
        browser.awaitJs("const r = document.querySelector('#waterfall .row.selected');"
                + " return r !== null && r.innerText.includes('POST /checkout')");
        assertThat(browser.currentUrl()).endsWith("/trace/" + failedCheckout + "?span="
                + failedCheckoutRoot.getSpanId());
    }

    @Test
    @Order(6)
    void pagesLogNoConsoleErrors() {
        browser.consoleErrors(); // drop what earlier pages logged: each page is checked below on its own
        for (String page : List.of("/search?service=shop-frontend&lookback=all", "/trace/" + failedCheckout,
                "/services", "/trace/" + skewedTrace + "?span=" + skewedLedgerSpan)) {
            browser.open(base + page);
            browser.waitFor("#result-list .result, #waterfall .row, #service-map svg");
            if (page.contains("?span=")) { // a link whose trace is missing is checked, and must not log an error
                browser.awaitJs("const l = document.querySelector('#span-detail ul.links');"
                        + " return l !== null && l.innerText.includes('(not found)')");
            }
            assertThat(browser.consoleErrors()).as(browser.name() + " " + page).isEmpty();
        }
        browser.open(base + "/trace/" + "0".repeat(31) + "1");
        assertThat(browser.text(".error-box")).contains("was not found");
    }

    @Test
    @Order(7)
    void theJumpBoxOpensTheTraceNamedInAPastedLogLine() {
        browser.open(base + "/services");
        browser.type("#jump-input", "2026-11-26 01:02:03.456 ERROR [shop-payments,trace_id=" + failedCheckout
                + ",span_id=00f067aa0ba902b7] c.s.Payments - card declined" + UiBrowser.ENTER);
        awaitTraceReady();
        assertThat(browser.currentUrl()).contains("/trace/" + failedCheckout);
        assertThat(browser.text("#trace-header")).contains("POST /checkout");
    }

    private void awaitTraceReady() {
        browser.awaitJs("return document.body.getAttribute('data-trace-ready') === 'true'");
    }
}
