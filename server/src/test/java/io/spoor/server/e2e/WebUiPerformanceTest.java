package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.server.support.ChromiumBrowser;
import io.spoor.server.support.Harness;
import io.spoor.server.support.TestSpans;
import io.spoor.server.support.UiBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.TestInstance;

/**
 * The UI's performance in the real browser, measured with the Performance API marks the app sets
 * (spoor:trace:open = navigation start of the trace page → first painted frame with the main thread free again;
 * :fetch, :wait, :download, :parse and :build happen in the page's loader worker, :render on the main thread) and
 * with a main-thread monitor (the longest task while a trace opens, see {@link #openTrace}).
 * Runs in Chromium ({@link ChromiumWebUiPerformanceTest}) and Firefox ({@link FirefoxWebUiPerformanceTest}); figures go to
 * server/target/ui-e2e/performance-{chromium,firefox}.txt (and docs/benchmarks.md). The assertions are loose guards
 * against a regression by an order of magnitude on a busy 2-core machine, not the targets themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebUiPerformanceTest {
    Harness spoor;
    UiBrowser browser;
    String base;
    Path report;

    /** The browser this run measures; each subclass runs every test below in its own. */
    abstract UiBrowser newBrowser();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        spoor = Harness.start(Harness.config(dir));
        base = "http://127.0.0.1:" + spoor.server.httpPort();
        browser = newBrowser();
        Files.createDirectories(UiBrowser.ARTIFACTS);
        report = UiBrowser.ARTIFACTS.resolve("performance-" + browser.name() + ".txt");
        Files.writeString(report, "");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        spoor.close();
    }

    /** A trace of n spans over 12 services: a random tree whose depth grows with log(n) (≈6–12 levels), 2% errors. */
    TraceId sendTrace(int n, long seed) throws InterruptedException {
        SplittableRandom r = new SplittableRandom(seed);
        TraceId id = TestSpans.randomTraceId();
        long t0 = (System.currentTimeMillis() - 60_000) * 1_000_000L;
        List<Resource> services = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            services.add(new Resource(Attributes.of("service.name", "perf-svc-" + s), ""));
        }
        long[] start = new long[n];
        long[] end = new long[n];
        List<Span> spans = new ArrayList<>(n);
        start[0] = t0;
        end[0] = t0 + 10_000_000_000L;
        for (int i = 0; i < n; i++) {
            int parent = i == 0 ? -1 : (i - 1) / (2 + r.nextInt(7));
            if (i > 0) {
                long ps = start[parent];
                long len = end[parent] - ps;
                start[i] = ps + (long) (r.nextDouble() * len * 0.5);
                end[i] = start[i] + Math.max(1000, (long) (r.nextDouble() * (end[parent] - start[i])));
            }
            spans.add(Span.builder(id, i + 1L).parentSpanId(parent < 0 ? 0 : parent + 1L).name("operation-" + (i % 40))
                    .kind(i == 0 ? SpanKind.SERVER : SpanKind.INTERNAL).startEpochNanos(start[i]).endEpochNanos(end[i])
                    .attributes(Attributes.of("i", i, "http.route", "/perf/" + (i % 17)))
                    .status(r.nextInt(50) == 0 ? new Status(StatusCode.ERROR, "boom") : Status.UNSET)
                    .resource(services.get(i % 12)).build());
        }
        post(spans);
        return id;
    }

    void post(List<Span> spans) throws InterruptedException {
        for (int from = 0; from < spans.size(); from += 5_000) {
            var r = spoor.http.post(spoor.otlpHttp("/v1/traces"),
                    TestSpans.protobuf(spans.subList(from, Math.min(spans.size(), from + 5_000))),
                    "Content-Type", "application/x-protobuf");
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    void awaitSpans(TraceId id, int n) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var r = spoor.http.get(spoor.api("/api/v1/traces?limit=1&service=perf-svc-0&minDuration=9s"));
            var t = spoor.http.get(spoor.api("/api/v1/traces/" + id.toHex()));
            if (t.statusCode() == 200 && new String(t.body()).split("\"spanId\"").length - 1 >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trace never complete");
    }

    /**
     * Opens the trace page by an in-app navigation (the jump box) from the search page, with a main-thread monitor
     * running from before the navigation until the trace is interactive and two more frames have been drawn.
     * Returns the app's {@code spoor:trace:*} measures (ms), the rows in the DOM, and the monitor's figures:
     * {@code maxTimerGap} — the longest gap in a chain of {@code setTimeout(0)} callbacks (≈ the longest task, plus
     * the ≈4 ms timer clamp), {@code maxFrameGap} — the longest interval between animation frames, both in every
     * browser; {@code longestTask} from a {@code longtask} PerformanceObserver where the browser has one (Chromium),
     * else -1.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> openTrace(TraceId id) {
        browser.open(base + "/search");
        browser.waitFor("#search-form");
        browser.js(MONITOR);
        browser.js("""
                const input = document.getElementById('jump-input'); input.value = arguments[0];
                document.getElementById('jump').requestSubmit();""", id.toHex());
        browser.awaitJs("return document.body.getAttribute('data-trace-ready') === 'true'");
        return (Map<String, Object>) browser.js("""
                return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
                  const out = window.__spoorMonitor.stop();
                  for (const m of performance.getEntriesByType('measure')) {
                    if (m.name.startsWith('spoor:trace:')) out[m.name.slice('spoor:trace:'.length)] = m.duration;
                  }
                  out.rows = document.querySelectorAll('#waterfall .row').length;
                  done(out);
                })));""");
    }

    /** The main-thread monitor of {@link #openTrace}: works in Chromium and Firefox; the longtask part in Chromium. */
    static final String MONITOR = """
            const m = { maxTimerGap: 0, maxFrameGap: 0, longestTask: -1, longTasks: 0, stopped: false };
            let lastTimer = performance.now();
            const tick = () => {
              const now = performance.now();
              m.maxTimerGap = Math.max(m.maxTimerGap, now - lastTimer);
              lastTimer = now;
              if (!m.stopped) setTimeout(tick, 0);
            };
            setTimeout(tick, 0);
            let lastFrame = -1;
            const frame = (now) => {
              if (lastFrame >= 0) m.maxFrameGap = Math.max(m.maxFrameGap, now - lastFrame);
              lastFrame = now;
              if (!m.stopped) requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
            let observer = null;
            if ((PerformanceObserver.supportedEntryTypes || []).includes('longtask')) {
              m.longestTask = 0;
              observer = new PerformanceObserver((list) => {
                for (const e of list.getEntries()) { m.longestTask = Math.max(m.longestTask, e.duration); m.longTasks++; }
              });
              observer.observe({ type: 'longtask' });
            }
            window.__spoorMonitor = { stop() {
              m.stopped = true;
              if (observer) { for (const e of observer.takeRecords()) { m.longestTask = Math.max(m.longestTask, e.duration); m.longTasks++; } observer.disconnect(); }
              const { stopped, ...out } = m;
              return out;
            } };""";

    /** Scrolls the waterfall 120 frames at 400 px per frame; returns frame-interval statistics. */
    @SuppressWarnings("unchecked")
    Map<String, Object> scroll() {
        return (Map<String, Object>) browser.js("""
                return new Promise(done => {
                const el = document.getElementById('waterfall');
                const gaps = []; let last = performance.now(); let k = 0;
                function step(now) {
                  gaps.push(now - last); last = now; el.scrollTop += 400;
                  if (++k < 120) requestAnimationFrame(step);
                  else { gaps.shift(); gaps.sort((a, b) => a - b);
                         done({ p50: gaps[Math.floor(gaps.length / 2)], p95: gaps[Math.floor(gaps.length * 0.95)],
                                max: gaps[gaps.length - 1], rows: el.querySelectorAll('.row').length }); }
                }
                requestAnimationFrame(n => { last = n; requestAnimationFrame(step); });
                });""");
    }

    void record(String line) throws IOException {
        System.out.println("ui-performance " + browser.name() + ": " + line);
        Files.writeString(report, line + "\n", StandardOpenOption.APPEND);
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void aTenThousandSpanTraceOpensAndScrollsAndAHundredThousandSpanTraceOpens() throws Exception {
        TraceId tenK = sendTrace(10_000, 1);
        awaitSpans(tenK, 10_000);
        openTrace(tenK); // warm-up: the first page load compiles the bundle
        Map<String, Object> open = openTrace(tenK);
        Map<String, Object> scroll = scroll();
        record("10000 spans: open " + open + " scroll frame intervals ms " + scroll);
        assertThat(num(open.get("rows"))).as("virtualised rows in the DOM").isLessThan(200);
        assertThat(num(open.get("open"))).isLessThan(5_000);
        assertThat(num(scroll.get("p50"))).isLessThan(100);
        browser.screenshot("trace-10k");

        TraceId hundredK = sendTrace(100_000, 2);
        awaitSpans(hundredK, 100_000);
        Map<String, Object> big = openTrace(hundredK);
        Map<String, Object> bigScroll = scroll();
        record("100000 spans: open " + big + " scroll frame intervals ms " + bigScroll);
        assertThat(num(big.get("rows"))).isLessThan(200);
        assertThat(num(big.get("open"))).isLessThan(30_000);
        // the tab does not freeze while the trace opens (the parse and tree are in a worker): the target is no task
        // over ~200 ms; this loose guard (3×) is for a busy 2-core machine, where other builds stretch every task.
        // Parsing and building on the main thread, as before the worker, blocked it for 0.7–1.5 s here.
        assertThat(num(big.get("maxTimerGap"))).as("longest main-thread gap while opening, ms").isLessThan(600);
        // the tab answers: a script round trip while the page is up
        assertThat(browser.js("return 1 + 1")).isEqualTo(2L);
        browser.screenshot("trace-100k");
    }

    @Test
    void theSearchPageStaysResponsiveWithAThousandResults() throws Exception {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            spans.addAll(TestSpans.trace(TestSpans.randomTraceId(), "perf-search", 3));
        }
        post(spans);
        for (int i = 0; i < 300; i++) {
            String body = new String(spoor.http.get(spoor.api("/api/v1/traces?service=perf-search&limit=1000")).body());
            if (body.split("\"traceId\"").length - 1 >= 1_000) {
                break;
            }
            Thread.sleep(200);
        }
        browser.open(base + "/search?service=perf-search&lookback=all&limit=1000");
        browser.awaitCount("#result-list .result", 1_000);
        double render = num(browser.js(
                "return performance.getEntriesByName('spoor:search:render', 'measure')[0].duration"));
        double sort = num(browser.js("""
                const s = document.getElementById('sort'); const t0 = performance.now();
                s.value = 'slowest'; s.dispatchEvent(new Event('change'));
                document.getElementById('result-list').getBoundingClientRect();
                return performance.now() - t0;"""));
        Map<String, Object> scroll = castMap(browser.js("""
                return new Promise(done => {
                const el = document.getElementById('results'); const gaps = []; let last; let k = 0;
                function step(now) { gaps.push(now - last); last = now; el.scrollTop += 300;
                  if (++k < 60) requestAnimationFrame(step);
                  else { gaps.sort((a, b) => a - b); done({ p50: gaps[30], max: gaps[gaps.length - 1] }); } }
                requestAnimationFrame(n => { last = n; requestAnimationFrame(step); });
                });"""));
        record("1000 search results: render " + render + " ms, re-sort " + sort + " ms, scroll frame intervals ms "
                + scroll);
        assertThat(render).isLessThan(5_000);
        assertThat(sort).isLessThan(5_000);
        browser.screenshot("search-1000");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
