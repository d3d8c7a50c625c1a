package io.spoor.storage.lucene;

import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.everyField;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import io.spoor.spanlog.codec.GoldenSpans;
import io.spoor.spanlog.codec.SpanCodec;
import io.spoor.storage.TraceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FragmentPrefilterTest {
    private static final TraceId ID = new TraceId(3, 4);
    private static final long T = 1_700_000_000_000_000_000L;

    private final List<Span> spans = List.of(
            everyField(ID, 1, 0, T),
            span(ID, 2, 1, "checkout", "pay", T + MS, 30 * MS, "http.status_code", 500L, "user.id", "u-1"),
            span(ID, 3, 1, "", "anonymous", T + 2 * MS, 2 * MS, "flag", true));

    private final byte[] bytes = new SpanCodec().encodeFragment(ID, spans);

    private static TraceQuery q(String service, String op, long minDur, long maxDur, TimeWindow w, String... tags) {
        List<TraceQuery.Tag> list = new ArrayList<>();
        for (int i = 0; i < tags.length; i += 2) {
            list.add(new TraceQuery.Tag(tags[i], tags[i + 1]));
        }
        return new TraceQuery(Optional.ofNullable(service), Optional.ofNullable(op), list, minDur, maxDur, w, 20);
    }

    private List<TraceQuery> queries() {
        List<TraceQuery> all = new ArrayList<>();
        String[] services = {null, "checkout", "every-field", Resource.UNKNOWN_SERVICE, "nope"};
        String[] ops = {null, "pay", "anonymous", "nope"};
        String[][] tagSets = {{}, {"http.status_code", "500"}, {"http.status_code", "0500"}, {"user.id", "u-1"},
                {"user.id", "u-2"}, {"flag", "true"}, {"flag", "false"}, {"b", "true"}, {"d", "3.25"},
                {"l", "-1234567890123"}, {"s", "välue ünïcode ✓"}, {"host.name", "h1"}, {"host.name", "h2"},
                {"service.name", "checkout"}, {"arr", "[a,2,false]"}, {"http.status_code", "500", "user.id", "u-1"},
                {"http.status_code", "500", "user.id", "u-2"}, {"long.string", "x".repeat(5000)}};
        long[][] durations = {{0, Long.MAX_VALUE}, {10 * MS, Long.MAX_VALUE}, {0, 5 * MS}, {40 * MS, 50 * MS}};
        TimeWindow[] windows = {TimeWindow.ALL, new TimeWindow(T + MS, T + MS), new TimeWindow(0, T - 1),
                new TimeWindow(T + 2 * MS, Long.MAX_VALUE)};
        for (String s : services) {
            for (String o : ops) {
                for (String[] tags : tagSets) {
                    for (long[] d : durations) {
                        for (TimeWindow w : windows) {
                            all.add(q(s, o, d[0], d[1], w, tags));
                        }
                    }
                }
            }
        }
        return all;
    }

    @Test
    void neverRejectsAFragmentWithAMatchingSpan() {
        int rejected = 0;
        for (TraceQuery query : queries()) {
            boolean exact = spans.stream().anyMatch(query::matches);
            boolean may = new FragmentPrefilter(query).mayMatch(bytes, 0, bytes.length);
            if (exact) {
                assertThat(may).as("%s", query).isTrue();
            } else if (!may) {
                rejected++;
            }
        }
        // and it is useful: most non-matching queries are rejected without decoding
        assertThat(rejected).isGreaterThan(queries().size() / 2);
    }

    @Test
    void judgesFragmentsOfEveryVersionAlike() throws java.io.IOException {
        byte[] v1;
        try (java.io.InputStream in = getClass().getResourceAsStream("/codec/fragment-v1.bin")) {
            v1 = in.readAllBytes();
        }
        TraceId golden = new TraceId(0x0123456789ABCDEFL, -2L);
        List<Span> goldenSpans = GoldenSpans.spans(golden);
        byte[] v2 = new SpanCodec().encodeFragment(golden, goldenSpans);
        // version 3: the same spans, with resources and scopes that dropped attributes
        List<Span> withDropped = goldenSpans.stream().map(s -> s.toBuilder()
                .resource(new io.spoor.model.Resource(s.resource().attributes(), s.resource().schemaUrl(), 2))
                .scope(new io.spoor.model.InstrumentationScope(s.scope().name(), s.scope().version(),
                        s.scope().attributes(), 3)).build()).toList();
        byte[] v3 = new SpanCodec().encodeFragment(golden, withDropped);
        assertThat(v3[0]).isEqualTo((byte) SpanCodec.VERSION);
        int rejected = 0;
        for (TraceQuery query : queries()) {
            boolean exact = goldenSpans.stream().anyMatch(query::matches);
            boolean mayV1 = new FragmentPrefilter(query).mayMatch(v1, 0, v1.length);
            boolean mayV2 = new FragmentPrefilter(query).mayMatch(v2, 0, v2.length);
            if (exact) {
                assertThat(mayV1).as("%s", query).isTrue();
            } else if (!mayV1) {
                rejected++;
            }
            assertThat(mayV2).as("both versions judge alike: %s", query).isEqualTo(mayV1);
            assertThat(new FragmentPrefilter(query).mayMatch(v3, 0, v3.length)).as("version 3: %s", query)
                    .isEqualTo(mayV1);
        }
        assertThat(rejected).isGreaterThan(queries().size() / 2);
    }

    @Test
    void rejectsByServiceOperationDurationWindowAndTag() {
        assertThat(new FragmentPrefilter(q("nope", null, 0, Long.MAX_VALUE, TimeWindow.ALL))
                .mayMatch(bytes, 0, bytes.length)).isFalse();
        assertThat(new FragmentPrefilter(q("checkout", "anonymous", 0, Long.MAX_VALUE, TimeWindow.ALL))
                .mayMatch(bytes, 0, bytes.length)).isFalse();
        assertThat(new FragmentPrefilter(q(null, null, 100 * MS, Long.MAX_VALUE, TimeWindow.ALL))
                .mayMatch(bytes, 0, bytes.length)).isFalse();
        assertThat(new FragmentPrefilter(q(null, null, 0, Long.MAX_VALUE, TimeWindow.ALL, "user.id", "u-2"))
                .mayMatch(bytes, 0, bytes.length)).isFalse();
        assertThat(new FragmentPrefilter(q("checkout", "pay", 20 * MS, Long.MAX_VALUE, TimeWindow.ALL,
                "http.status_code", "500")).mayMatch(bytes, 0, bytes.length)).isTrue();
    }
}
