package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.spoor.server.support.Browser;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a real headless Chromium against a real Spoor, fed by the OpenTelemetry Java SDK: a checkout
 * whose payment fails, known to the millisecond, so that the waterfall rows, the critical path and the error
 * origin have known answers. Screenshots of every page land in server/target/ui-e2e/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiEndToEndTest {
    @TempDir
    static Path dir;
    static Harness spoor;
    static Browser browser;
    static String failedCheckout;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir));
        base = "http://127.0.0.1:" + spoor.server.httpPort();
        Instant t0 = Instant.now().minusSeconds(5);
        failedCheckout = sendCheckout(t0, "alice", true);
        sendCheckout(t0.plusMillis(500), "bob", false);
        await(() -> spoor.http.get(spoor.api("/api/v1/traces?service=shop-payments&limit=5")).body().length > 40);
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
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
    static String sendCheckout(Instant t0, String customer, boolean fail) {
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
        for (SdkTracerProvider p : providers) {
            p.forceFlush().join(10, TimeUnit.SECONDS);
            p.shutdown().join(10, TimeUnit.SECONDS);
        }
        return root.getSpanContext().getTraceId();
    }

    static Tracer tracer(List<SdkTracerProvider> providers, String service) {
        SdkTracerProvider p = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
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

    @Test
    @Order(1)
    void searchByServiceAndTagFindsTheOneMatchingTrace() {
        browser.open(base + "/");
        browser.awaitElement("#search-form");
        browser.awaitElement("input[name=service]").sendKeys("shop-frontend");
        browser.driver.findElement(By.cssSelector("input[name=tags]")).sendKeys("shop.customer=alice");
        new Select(browser.driver.findElement(By.cssSelector("select[name=lookback]"))).selectByValue("all");
        browser.driver.findElement(By.cssSelector("#search-form button[type=submit]")).click();
        browser.await(d -> d.findElements(By.cssSelector("#result-list .result")).size() == 1);
        WebElement result = browser.all("#result-list .result").get(0);
        assertThat(result.getAttribute("data-trace-id")).isEqualTo(failedCheckout);
        assertThat(result.getText()).contains("shop-frontend: POST /checkout", "5 spans", "2 errors",
                "shop-payments (1)");
        assertThat(browser.driver.getCurrentUrl()).contains("/search?", "service=shop-frontend",
                "tag=shop.customer%3Dalice");
        assertThat(browser.all("#scatter canvas")).isNotEmpty();
        browser.screenshot("search");
    }

    @Test
    @Order(2)
    void traceShowsTheWaterfallCriticalPathAndErrorOrigin() {
        browser.open(base + "/search?service=shop-frontend&tag=shop.customer%3Dalice&lookback=all");
        browser.awaitElement("#result-list .result a").click();
        browser.await(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-trace-ready")));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/trace/" + failedCheckout);

        List<WebElement> rows = browser.all("#waterfall .row");
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector(".svc-name")).getText() + " "
                + r.findElement(By.cssSelector(".op")).getText()).containsExactly(
                "shop-frontend POST /checkout", "shop-orders place order", "shop-inventory reserve stock",
                "shop-orders cache lookup", "shop-payments charge card");
        assertThat(rows).extracting(r -> r.getAttribute("data-critical")).containsExactly(
                "true", "true", "true", null, "true");
        assertThat(browser.all("#waterfall .row.error")).hasSize(2);

        String origin = browser.awaitElement("#error-origin").getText();
        assertThat(origin).contains("Failure started in shop-payments", "charge card",
                "IllegalStateException: card declined");
        assertThat(browser.awaitElement("#trace-header").getText()).contains("SPANS\n5", "ERRORS\n2", "100ms");
        assertThat(browser.awaitElement("#latency-by-service").getText()).contains("shop-payments 50ms");
        browser.screenshot("trace");
    }

    @Test
    @Order(3)
    void clickingTheErrorOriginOpensTheSpanDetail() {
        browser.awaitElement("#error-origin").click();
        WebElement detail = browser.awaitElement("#span-detail .detail-inner");
        String text = detail.getText();
        assertThat(text).contains("charge card", "shop-payments", "SERVER", "ERROR: payment failed",
                "SELF TIME", "50ms", "exception", "java.lang.IllegalStateException", "card declined",
                "shop.card", "service.name", "webui-test");
        assertThat(browser.awaitElement("#span-detail pre.stack").getText())
                .contains("at io.spoor.server.e2e.WebUiEndToEndTest");
        assertThat(browser.driver.getCurrentUrl()).contains("?span=" + detail.getAttribute("data-span-id"));
        browser.screenshot("trace-span-detail");

        // the deep link selects the same span after a reload; arrow keys move the selection
        browser.open(browser.driver.getCurrentUrl());
        browser.awaitElement("#span-detail .detail-inner");
        assertThat(browser.awaitElement("#waterfall .row.selected").getText()).contains("charge card");
        browser.driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ARROW_UP);
        browser.await(d -> d.findElement(By.cssSelector("#waterfall .row.selected")).getText()
                .contains("cache lookup"));
    }

    @Test
    @Order(4)
    void serviceMapShowsTheCallsOrSaysWhyItCannot() {
        int deps = spoor.http.get(spoor.api("/api/v1/dependencies?start=0&end=" + System.currentTimeMillis()))
                .statusCode();
        browser.open(base + "/services");
        if (deps == 200) {
            browser.awaitElement("#service-map svg");
            assertThat(browser.all("#service-map g.edge[data-parent='shop-frontend'][data-child='shop-orders']"))
                    .hasSize(1);
            assertThat(browser.all("#service-map g.edge[data-parent='shop-orders'][data-child='shop-payments']"))
                    .hasSize(1);
            browser.screenshot("services");
            browser.awaitElement("#service-map a.node[data-service='shop-payments']").click();
            browser.await(d -> d.getCurrentUrl().contains("/search?service=shop-payments"));
        } else {
            assertThat(deps).isEqualTo(404);
            assertThat(browser.awaitElement("#map-unavailable").getText()).contains("no dependencies API yet");
            browser.screenshot("services");
        }
    }

    @Test
    @Order(5)
    void pagesLogNoConsoleErrors() {
        browser.consoleErrors(); // drop what earlier pages logged: each page is checked below on its own
        for (String page : List.of("/search?service=shop-frontend&lookback=all", "/trace/" + failedCheckout)) {
            browser.open(base + page);
            browser.await(d -> !d.findElements(By.cssSelector("#result-list .result, #waterfall .row")).isEmpty());
            assertThat(browser.consoleErrors()).as(page).isEmpty();
        }
        browser.open(base + "/trace/" + "0".repeat(31) + "1");
        assertThat(browser.awaitElement(".error-box").getText()).contains("was not found");
    }
}
