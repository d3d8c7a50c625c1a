package io.spoor.protocol.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;

/**
 * Validates metrics and logs exports and counts their items. Spoor does not store these signals yet, but SDKs
 * send them by default (the Node SDK exports metrics), so receivers answer them properly and report counts.
 * All methods throw {@link OtlpDecodeException} on malformed input; an empty body counts zero.
 */
public final class OtlpSignalDecoder {
    /** One step of a JSON path: the field's names (camel and snake case) and whether it holds one object. */
    private record Level(boolean singleObject, String... names) {
        static Level array(String... names) {
            return new Level(false, names);
        }

        static Level oneofObject(String... names) {
            return new Level(true, names);
        }

        boolean matches(String field) {
            for (String name : names) {
                if (name.equals(field)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Level[] METRIC_DATA_POINTS = {
            Level.array("resourceMetrics", "resource_metrics"),
            Level.array("scopeMetrics", "scope_metrics"),
            Level.array("metrics"),
            Level.oneofObject("gauge", "sum", "histogram", "exponentialHistogram", "exponential_histogram", "summary"),
            Level.array("dataPoints", "data_points")};

    private static final Level[] LOG_RECORDS = {
            Level.array("resourceLogs", "resource_logs"),
            Level.array("scopeLogs", "scope_logs"),
            Level.array("logRecords", "log_records")};

    private OtlpSignalDecoder() {
    }

    public static int countMetricDataPointsProtobuf(byte[] body) {
        return body.length == 0 ? 0
                : countMetricDataPoints(ProtobufInput.parse(ExportMetricsServiceRequest.parser(), body));
    }

    public static int countLogRecordsProtobuf(byte[] body) {
        return body.length == 0 ? 0 : countLogRecords(ProtobufInput.parse(ExportLogsServiceRequest.parser(), body));
    }

    public static int countMetricDataPoints(ExportMetricsServiceRequest r) {
        int n = 0;
        for (ResourceMetrics rm : r.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    n += switch (m.getDataCase()) {
                        case GAUGE -> m.getGauge().getDataPointsCount();
                        case SUM -> m.getSum().getDataPointsCount();
                        case HISTOGRAM -> m.getHistogram().getDataPointsCount();
                        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
                        case SUMMARY -> m.getSummary().getDataPointsCount();
                        case DATA_NOT_SET -> 0;
                    };
                }
            }
        }
        return n;
    }

    public static int countLogRecords(ExportLogsServiceRequest r) {
        int n = 0;
        for (ResourceLogs rl : r.getResourceLogsList()) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                n += sl.getLogRecordsCount();
            }
        }
        return n;
    }

    /** Counts {@code resourceMetrics[].scopeMetrics[].metrics[].<gauge|sum|…>.dataPoints[]}. */
    public static int countMetricDataPointsJson(byte[] body) {
        return countJson(body, METRIC_DATA_POINTS);
    }

    /** Counts {@code resourceLogs[].scopeLogs[].logRecords[]}. */
    public static int countLogRecordsJson(byte[] body) {
        return countJson(body, LOG_RECORDS);
    }

    private static int countJson(byte[] body, Level[] path) {
        JsonInput in = JsonInput.open(body);
        try (JsonParser ignored = in.p) {
            if (!in.startDocument()) {
                return 0;
            }
            int n = countInObject(in, path, 0);
            in.endDocument();
            return n;
        } catch (JsonProcessingException e) {
            throw in.malformed(e);
        } catch (IOException e) {
            throw new OtlpDecodeException("invalid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Within the current object, follows {@code path[depth]} into an array of objects or a single object (the
     * metric's data oneof); the elements of the last level's array are counted. Everything else is skipped, but Jackson still checks its syntax.
     */
    private static int countInObject(JsonInput in, Level[] path, int depth) throws IOException {
        int n = 0;
        boolean last = depth == path.length - 1;
        for (String f; (f = in.nextField()) != null; ) {
            if (!path[depth].matches(f)) {
                in.skip();
            } else if (last) {
                if (in.isArray(f)) {
                    while (in.nextObjectElement(f)) {
                        in.skip();
                        n++;
                    }
                }
            } else if (path[depth].singleObject()) {
                if (in.isObject(f)) {
                    n += countInObject(in, path, depth + 1);
                }
            } else if (in.isArray(f)) {
                while (in.nextObjectElement(f)) {
                    n += countInObject(in, path, depth + 1);
                }
            }
        }
        return n;
    }
}
