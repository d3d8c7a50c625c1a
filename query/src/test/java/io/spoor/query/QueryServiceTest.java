package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.storage.TraceQuery;
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
}
