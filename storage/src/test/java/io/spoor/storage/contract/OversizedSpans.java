package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.withLimit;
import static io.spoor.storage.contract.ContractQueries.withOperation;
import static io.spoor.storage.contract.ContractQueries.withService;
import static io.spoor.storage.contract.ContractQueries.withTag;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of hostile spans beside normal ones, as issue 10 reproduced it: span names, service names, attribute
 * keys and values of 40 KiB to 1 MiB (ASCII and three-byte UTF-8), in their own traces and inside a normal trace.
 * Every such span carries a short {@code hostile} tag naming what is over-long in it, so that it can be searched for
 * by a field an index can take. The normal spans carry ordinary services, operations and tags.
 */
public record OversizedSpans(List<Span> spans, Map<TraceId, List<Span>> byTrace, List<TraceId> normalTraces,
                             Map<String, TraceId> hostileTraces) {
    public static final int KIB = 1024;

    /** The batch, with spans starting a few seconds before {@code nowNanos}. */
    public static OversizedSpans batch(long nowNanos) {
        long t = nowNanos - 5_000 * MS;
        List<Span> spans = new ArrayList<>();
        List<TraceId> normal = new ArrayList<>();
        Map<String, TraceId> hostile = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            TraceId id = new TraceId(0x0BAD_0000_0000_0000L | i, 0x1000 + i);
            normal.add(id);
            spans.add(span(id, 1, 0, "shop", "GET /cart", t + i * MS, 20 * MS, "customer", "c-" + i));
            spans.add(span(id, 2, 1, "stock", "reserve", t + i * MS + 1, 5 * MS, "sku", "sku-" + i));
        }
        String longName = "n".repeat(40 * KIB);
        String longService = "s".repeat(64 * KIB);
        String longKey = "k".repeat(100 * KIB);
        String longValue = "v".repeat(KIB * KIB);
        String wideName = "✓".repeat(20 * KIB); // 60 KiB of UTF-8 in 20 Ki chars
        String hugeService = "ü".repeat(512 * KIB); // 1 MiB of UTF-8
        hostile.put("name", add(spans, 0, span(hostileId(0), 1, 0, "shop", longName, t + 10 * MS, MS,
                "hostile", "name")));
        hostile.put("service", add(spans, 1, span(hostileId(1), 1, 0, longService, "GET /cart", t + 11 * MS, MS,
                "hostile", "service")));
        hostile.put("key", add(spans, 2, span(hostileId(2), 1, 0, "shop", "GET /cart", t + 12 * MS, MS,
                "hostile", "key", longKey, "x")));
        hostile.put("value", add(spans, 3, span(hostileId(3), 1, 0, "shop", "GET /cart", t + 13 * MS, MS,
                "hostile", "value", "payload", longValue)));
        hostile.put("utf8", add(spans, 4, span(hostileId(4), 1, 0, hugeService, wideName, t + 14 * MS, MS,
                "hostile", "utf8")));
        hostile.put("resource", add(spans, 5, span(hostileId(5), 1, 0, "shop", "GET /cart", t + 15 * MS, MS,
                "hostile", "resource").toBuilder()
                .resource(TestSpans.resource("shop", longKey, longValue))
                .events(List.of(new SpanEvent(t + 15 * MS, longName, Attributes.of(longKey, longValue), 0)))
                .build()));
        // one inside a normal trace: its neighbours in the trace must not suffer either
        spans.add(span(normal.get(0), 3, 1, longService, longName, t + 2, MS, longKey, longValue));
        Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
        for (Span s : spans) {
            byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        return new OversizedSpans(List.copyOf(spans), byTrace, List.copyOf(normal), hostile);
    }

    private static TraceId hostileId(int i) {
        return new TraceId(0x0BAD_1000_0000_0000L | i, 0x2000 + i);
    }

    private static TraceId add(List<Span> spans, int position, Span s) {
        // interleaved with the normal spans, as a batch mixes requests
        spans.add(Math.min(spans.size(), position * 2 + 1), s);
        return s.traceId();
    }

    /** Every trace of the batch reads back by id with every span whole. */
    public void assertEveryTraceReadable(StoreContract c) {
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            Trace trace = c.awaitTrace(e.getKey(), e.getValue().size());
            assertThat(trace.spans()).as("trace %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
        }
    }

    /** The normal spans are found by their service, operation and tags; the hostile ones by their short tag. */
    public void assertNormalSpansSearchable(StoreContract c) {
        c.eventually(() -> c.find(withLimit(withService(query(), "stock"), 1000)).size(),
                n -> n == normalTraces.size());
        assertThat(ids(c.find(withLimit(withService(query(), "stock"), 1000))))
                .containsExactlyInAnyOrderElementsOf(normalTraces);
        assertThat(ids(c.find(withOperation(withService(query(), "stock"), "reserve"))))
                .containsExactlyInAnyOrderElementsOf(normalTraces);
        for (int i = 0; i < normalTraces.size(); i++) {
            assertThat(ids(c.find(withTag(query(), "sku", "sku-" + i)))).containsExactly(normalTraces.get(i));
            assertThat(ids(c.find(withTag(withService(query(), "shop"), "customer", "c-" + i))))
                    .containsExactly(normalTraces.get(i));
        }
        for (Map.Entry<String, TraceId> e : hostileTraces.entrySet()) {
            assertThat(ids(c.find(withTag(query(), "hostile", e.getKey())))).as("hostile=%s", e.getKey())
                    .containsExactly(e.getValue());
        }
        assertThat(c.store().services()).contains("shop", "stock");
        assertThat(c.store().trace(normalTraces.get(1), TimeWindow.ALL)).isPresent();
    }
}
