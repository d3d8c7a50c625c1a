package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.Operation;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.TraceReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QueryServiceTest {

    @Test
    void appliesTheDefaultLimitAndKeepsTheCriteria() {
        TraceQuery q = QueryService.query(SearchRequest.builder().service(Optional.of("checkout"))
                .tag("http.url", "/a?b=c").key("error").build(), QueryService.MAX_LIMIT);
        assertThat(q.limit()).isEqualTo(QueryService.DEFAULT_LIMIT);
        assertThat(q.tags()).containsExactly(new TraceQuery.Tag("http.url", "/a?b=c"));
        assertThat(q.keys()).containsExactly("error");
        assertThat(q.service()).contains("checkout");
    }

    @Test
    void rejectsInconsistentOrOutOfRangeParametersNamingThem() {
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().minDurationNanos(OptionalLong.of(10))
                .maxDurationNanos(OptionalLong.of(5)).build(), 100)).hasMessageContaining("maxDuration");
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().start(OptionalLong.of(10))
                .end(OptionalLong.of(5)).build(), 100)).hasMessageContaining("end must not be before start");
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().limit(10_001).build(),
                QueryService.MAX_LIMIT)).hasMessageContaining("limit must be between 1 and 10000");
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().limit(101).build(), 100))
                .hasMessageContaining("limit must be between 1 and 100");
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().limit(0).build(), 100))
                .isInstanceOf(InvalidQueryException.class);
        assertThatThrownBy(() -> QueryService.query(SearchRequest.builder().service(Optional.of(" ")).build(), 100))
                .hasMessageContaining("service must not be empty");
        SearchRequest.Builder many = SearchRequest.builder();
        for (int i = 0; i <= QueryService.MAX_TAGS; i++) {
            many.tag("k" + i, "v");
        }
        assertThatThrownBy(() -> QueryService.query(many.build(), 100)).hasMessageContaining("at most 32 tags");
    }

    /** Traces kept in a map; findTraces answers every stored trace in insertion order (enough for these tests). */
    static final class MapReader implements TraceReader {
        final Map<TraceId, Trace> traces = new LinkedHashMap<>();
        int reads;

        void add(TraceId id, int spans) {
            Resource r = new Resource(Attributes.of("service.name", "svc"), "");
            List<Span> list = new ArrayList<>();
            for (int i = 0; i < spans; i++) {
                list.add(Span.builder(id, i + 1).parentSpanId(i == 0 ? 0 : 1).name("s" + i)
                        .startEpochNanos(1_000L + i).endEpochNanos(2_000L + i).resource(r).build());
            }
            traces.put(id, new Trace(id, list));
        }

        @Override
        public Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
            reads++;
            return Optional.ofNullable(traces.get(traceId));
        }

        @Override
        public List<TraceSummary> findTraces(TraceQuery query) {
            return traces.values().stream().map(TraceSummary::of).limit(query.limit()).toList();
        }

        @Override
        public List<String> services() {
            return List.of("svc");
        }

        @Override
        public List<Operation> operations(String service) {
            return List.of();
        }
    }

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private static QueryService service(MapReader reader, int maxTraceSpans, int maxSearchTraces) {
        return new QueryService(reader, null, new QueryLimits(maxTraceSpans, maxSearchTraces, Duration.ofDays(7)),
                NOW);
    }

    @Test
    void truncatesATraceLargerThanTheLimitToItsEarliestSpansAndSaysSo() {
        MapReader reader = new MapReader();
        TraceId id = new TraceId(1, 1);
        reader.add(id, 12);
        AssembledTrace t = service(reader, 5, 10).assembledTrace(id, OptionalLong.empty(), OptionalLong.empty(),
                false).orElseThrow();
        assertThat(t.trace().spans()).extracting(Span::name).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(t.truncated()).isTrue();
        assertThat(t.storedSpans()).isEqualTo(12);
        assertThat(t.warningsWithTruncation().apply(t.trace().spans().get(0)))
                .containsExactly("trace truncated: showing the first 5 of 12 spans (spoor.query.max_trace_spans)");
        assertThat(t.warningsWithTruncation().apply(t.trace().spans().get(1))).isEmpty();
        AssembledTrace whole = service(reader, 12, 10).assembledTrace(id, OptionalLong.empty(), OptionalLong.empty(),
                false).orElseThrow();
        assertThat(whole.truncated()).isFalse();
    }

    @Test
    void readsSearchResultsOneAtATimeAndStopsBeforeTheSpanBudget() {
        MapReader reader = new MapReader();
        for (int i = 1; i <= 4; i++) {
            reader.add(new TraceId(0, i), 2);
        }
        TraceResults results = service(reader, 5, 10).searchTraces(SearchRequest.builder().limit(4).build(), false);
        assertThat(reader.reads).as("nothing read before the answer is written").isZero();
        List<AssembledTrace> seen = new ArrayList<>();
        results.forEach(seen::add);
        assertThat(seen).hasSize(2);
        assertThat(reader.reads).as("the third trace is not read: its summary says it does not fit").isEqualTo(2);
        assertThat(results.warnings()).singleElement().asString().contains("answer cut at 4 spans",
                "2 of 4 traces left out");
    }

    @Test
    void refusesSearchesAndIdListsPastTheTraceLimit() {
        MapReader reader = new MapReader();
        QueryService q = service(reader, 5, 3);
        assertThatThrownBy(() -> q.searchTraces(SearchRequest.builder().limit(4).build(), false))
                .hasMessageContaining("limit must be between 1 and 3");
        assertThatThrownBy(() -> q.traces("traceIds", List.of(new TraceId(0, 1), new TraceId(0, 2),
                new TraceId(0, 3), new TraceId(0, 4)), false)).hasMessageStartingWith("traceIds: at most 3");
        assertThat(q.search(SearchRequest.builder().limit(4).build())).isEmpty(); // summaries go to MAX_LIMIT
    }

    @Test
    void cutsWindowsThatReachPastTheRetention() {
        QueryService q = service(new MapReader(), 5, 3);
        long now = q.nowNanos();
        long horizon = now - Duration.ofDays(7).toNanos();
        assertThat(q.recentWindow(0, now)).isEqualTo(new TimeWindow(horizon, now));
        assertThat(q.recentWindow(now - 1000, now)).isEqualTo(new TimeWindow(now - 1000, now));
        assertThat(q.recentWindow(0, 5).endEpochNanos()).isEqualTo(5); // wholly older than the retention: empty
        assertThatThrownBy(() -> q.recentWindow(10, 5)).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void theDefaultsBoundTheLargestSearchBelowJaegersTenThousand() {
        assertThat(QueryLimits.DEFAULTS.maxSearchTraces()).isEqualTo(1_500);
        assertThat(QueryLimits.DEFAULTS.maxTraceSpans()).isEqualTo(200_000);
    }
}
