package io.spoor.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OtlpSignalDecoderTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ExportMetricsServiceRequest metrics() {
        NumberDataPoint p = NumberDataPoint.newBuilder().setAsInt(1).build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addDataPoints(p)))
                        .addMetrics(Metric.newBuilder().setName("s")
                                .setSum(Sum.newBuilder().addDataPoints(p).addDataPoints(p)))
                        .addMetrics(Metric.newBuilder().setName("e").setExponentialHistogram(
                                ExponentialHistogram.newBuilder().addDataPoints(ExponentialHistogramDataPoint.newBuilder())))
                        .addMetrics(Metric.newBuilder().setName("q")
                                .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder())))
                        .addMetrics(Metric.newBuilder().setName("no data"))))
                .build();
    }

    @Test
    void countsTheDataPointsOfTheJavaScriptSdkMetricsSample() {
        assertThat(OtlpSignalDecoder.countMetricDataPointsJson(TestSpans.sample("otlp-metrics-from-js-sdk.json")))
                .isEqualTo(2);
    }

    @Test
    void countsDataPointsOfEveryMetricKindInProtobuf() {
        assertThat(OtlpSignalDecoder.countMetricDataPoints(metrics())).isEqualTo(5);
        assertThat(OtlpSignalDecoder.countMetricDataPointsProtobuf(metrics().toByteArray())).isEqualTo(5);
    }

    @Test
    void countsDataPointsOfEveryMetricKindInJsonSkippingUnknownFields() {
        String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[]},\"scopeMetrics\":[{\"metrics\":["
                + "{\"name\":\"g\",\"gauge\":{\"dataPoints\":[{\"asInt\":\"1\"},{\"asDouble\":2.5}]}},"
                + "{\"name\":\"s\",\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,\"dataPoints\":[{}]}},"
                + "{\"exponential_histogram\":{\"data_points\":[{},{},{}]}},"
                + "{\"summary\":{\"dataPoints\":[{\"quantileValues\":[{\"quantile\":0.5}]}]},\"future\":{\"x\":[1]}},"
                + "{\"name\":\"no data\"}]}]}],\"extra\":1}";

        assertThat(OtlpSignalDecoder.countMetricDataPointsJson(utf8(json))).isEqualTo(7);
    }

    @Test
    void countsLogRecordsInProtobufAndJson() {
        ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.getDefaultInstance())
                                .addLogRecords(LogRecord.newBuilder().setSeverityText("WARN")))
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.getDefaultInstance())))
                .build();
        String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"hi\"}},{}]}]},"
                + "{\"scope_logs\":[{\"log_records\":[{\"severityNumber\":9}]}]}]}";

        assertThat(OtlpSignalDecoder.countLogRecords(logs)).isEqualTo(3);
        assertThat(OtlpSignalDecoder.countLogRecordsProtobuf(logs.toByteArray())).isEqualTo(3);
        assertThat(OtlpSignalDecoder.countLogRecordsJson(utf8(json))).isEqualTo(3);
    }

    @Test
    void emptyBodiesAndEmptyRequestsCountZero() {
        assertThat(OtlpSignalDecoder.countMetricDataPointsProtobuf(new byte[0])).isZero();
        assertThat(OtlpSignalDecoder.countLogRecordsProtobuf(new byte[0])).isZero();
        assertThat(OtlpSignalDecoder.countMetricDataPointsJson(new byte[0])).isZero();
        assertThat(OtlpSignalDecoder.countLogRecordsJson(utf8("{}"))).isZero();
        assertThat(OtlpSignalDecoder.countMetricDataPoints(ExportMetricsServiceRequest.getDefaultInstance())).isZero();
    }

    @Test
    void malformedSignalBodiesThrowWithPreciseMessages() {
        byte[] truncated = Arrays.copyOf(metrics().toByteArray(), 10);
        assertThatThrownBy(() -> OtlpSignalDecoder.countMetricDataPointsProtobuf(truncated))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid protobuf: truncated message at byte");
        assertThatThrownBy(() -> OtlpSignalDecoder.countLogRecordsProtobuf(utf8("garbage, not protobuf")))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid protobuf");
        assertThatThrownBy(() -> OtlpSignalDecoder.countMetricDataPointsJson(utf8("{\"resourceMetrics\":[")))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1");
        assertThatThrownBy(() -> OtlpSignalDecoder.countMetricDataPointsJson(
                utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":[]}]}]}]}")))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'gauge' must be an object, got an array")
                .hasMessageContaining("/resourceMetrics/0/scopeMetrics/0/metrics/0/gauge");
        // Syntax errors inside skipped parts are still errors: the body must be JSON.
        assertThatThrownBy(() -> OtlpSignalDecoder.countLogRecordsJson(utf8("{\"resource\":{\"a\":[1,}]}")))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1");
    }
}
