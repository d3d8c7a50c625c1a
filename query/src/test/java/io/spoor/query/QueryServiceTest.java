package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.storage.TraceQuery;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QueryServiceTest {

    private static SearchRequest request(List<String> tags, OptionalLong min, OptionalLong max, OptionalLong start,
                                         OptionalLong end, Optional<Integer> limit) {
        return new SearchRequest(Optional.of("checkout"), Optional.empty(), tags, min, max, start, end, limit);
    }

    @Test
    void appliesTheDefaultLimitAndSplitsTagsAtTheFirstEquals() {
        TraceQuery q = QueryService.toQuery(request(List.of("http.url=/a?b=c"), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty()));
        assertThat(q.limit()).isEqualTo(QueryService.DEFAULT_LIMIT);
        assertThat(q.tags()).containsExactly(new TraceQuery.Tag("http.url", "/a?b=c"));
        assertThat(q.service()).contains("checkout");
    }

    @Test
    void rejectsInconsistentOrOutOfRangeParametersNamingThem() {
        OptionalLong none = OptionalLong.empty();
        assertThatThrownBy(() -> QueryService.toQuery(request(List.of("novalue"), none, none, none, none,
                Optional.empty()))).hasMessageContaining("tag 'novalue' must be key=value");
        assertThatThrownBy(() -> QueryService.toQuery(request(List.of(), OptionalLong.of(10), OptionalLong.of(5),
                none, none, Optional.empty()))).hasMessageContaining("maxDuration");
        assertThatThrownBy(() -> QueryService.toQuery(request(List.of(), none, none, OptionalLong.of(10),
                OptionalLong.of(5), Optional.empty()))).hasMessageContaining("end must not be before start");
        assertThatThrownBy(() -> QueryService.toQuery(request(List.of(), none, none, none, none,
                Optional.of(10_001)))).hasMessageContaining("limit must be between 1 and 10000");
        assertThatThrownBy(() -> QueryService.toQuery(request(List.of(), none, none, none, none,
                Optional.of(0)))).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void rejectsMalformedAndAllZeroTraceIds() {
        assertThatThrownBy(() -> QueryService.parseTraceId("xyz")).hasMessageContaining("traceId 'xyz' is malformed");
        assertThatThrownBy(() -> QueryService.parseTraceId("0".repeat(32))).hasMessageContaining("all-zero");
        assertThatThrownBy(() -> QueryService.parseTraceId("g".repeat(32))).isInstanceOf(InvalidQueryException.class);
        assertThat(QueryService.parseTraceId("A6cfcfeea857f611faa125e8c3bf0b22").toHex())
                .isEqualTo("a6cfcfeea857f611faa125e8c3bf0b22");
    }
}
