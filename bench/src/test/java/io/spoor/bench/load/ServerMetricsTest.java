package io.spoor.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMetricsTest {

    private static final String TEXT = """
            # HELP spoor_storage_stored_spans Spans held by the storage engine
            # TYPE spoor_storage_stored_spans gauge
            spoor_storage_stored_spans{engine="lucene"} 1234.0
            spoor_storage_pending_spans 0.0
            spoor_receiver_accepted_spans_total{transport="grpc"} 100.0
            spoor_receiver_accepted_spans_total{transport="http"} 50.0
            spoor_receiver_accepted_spans_created 1.7E9
            """;

    @Test
    void sumsEverySeriesOfAMetricWithOrWithoutTheTotalSuffix() {
        assertThat(ServerMetrics.sum(TEXT, "spoor_storage_stored_spans")).isEqualTo(1234.0);
        assertThat(ServerMetrics.sum(TEXT, "spoor_receiver_accepted_spans")).isEqualTo(150.0);
        assertThat(ServerMetrics.sum(TEXT, "spoor_nothing")).isNaN();
        assertThat(ServerMetrics.pending(TEXT)).isZero();
    }

    @Test
    void aGaugeThatReadsNanCountsAsAbsent() {
        String text = "spoor_storage_stored_spans NaN\nspoor_storage_pending_spans NaN\n";
        assertThat(ServerMetrics.sum(text, "spoor_storage_stored_spans")).isNaN();
        assertThat(ServerMetrics.pending(text)).isNaN();
    }

    @Test
    void readsDurations() {
        assertThat(LoadOptions.duration("x", "60s").toSeconds()).isEqualTo(60);
        assertThat(LoadOptions.duration("x", "500ms").toMillis()).isEqualTo(500);
        assertThat(LoadOptions.duration("x", "2m").toSeconds()).isEqualTo(120);
        assertThat(LoadOptions.duration("x", "15").toSeconds()).isEqualTo(15);
    }
}
