package io.spoor.server.receiver.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.spoor.server.receiver.ExportResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** OTLP response messages and {@code google.rpc.Status} bodies, in protobuf or their OTLP JSON form. */
final class OtlpResponses {
    private static final JsonFactory JSON = new JsonFactory();
    static final byte[] EMPTY_JSON = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private OtlpResponses() {
    }

    /** The Export*ServiceResponse for an accepted export, with partial_success when something was rejected. */
    static Message response(ExportResult.Accepted a) {
        boolean partial = a.rejected() > 0 || !a.message().isEmpty();
        return switch (a.signal()) {
            case TRACES -> partial ? ExportTraceServiceResponse.newBuilder().setPartialSuccess(
                    ExportTracePartialSuccess.newBuilder().setRejectedSpans(a.rejected())
                            .setErrorMessage(a.message())).build()
                    : ExportTraceServiceResponse.getDefaultInstance();
            case METRICS -> partial ? ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
                    ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(a.rejected())
                            .setErrorMessage(a.message())).build()
                    : ExportMetricsServiceResponse.getDefaultInstance();
            case LOGS -> partial ? ExportLogsServiceResponse.newBuilder().setPartialSuccess(
                    ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(a.rejected())
                            .setErrorMessage(a.message())).build()
                    : ExportLogsServiceResponse.getDefaultInstance();
        };
    }

    /** OTLP JSON of the response: {@code {}} or {@code {"partialSuccess":{"rejectedSpans":"2","errorMessage":"…"}}}. */
    static byte[] responseJson(ExportResult.Accepted a) {
        if (a.rejected() == 0 && a.message().isEmpty()) {
            return EMPTY_JSON;
        }
        String field = switch (a.signal()) {
            case TRACES -> "rejectedSpans";
            case METRICS -> "rejectedDataPoints";
            case LOGS -> "rejectedLogRecords";
        };
        return json(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("partialSuccess");
            g.writeStringField(field, Long.toString(a.rejected())); // int64 is a string in OTLP JSON
            g.writeStringField("errorMessage", a.message());
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** A google.rpc.Status, with a RetryInfo detail when {@code retryDelay} is set. */
    static com.google.rpc.Status status(int code, String message, Duration retryDelay) {
        com.google.rpc.Status.Builder b = com.google.rpc.Status.newBuilder().setCode(code).setMessage(message);
        if (retryDelay != null) {
            b.addDetails(Any.pack(retryInfo(retryDelay)));
        }
        return b.build();
    }

    static RetryInfo retryInfo(Duration retryDelay) {
        return RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryDelay.getSeconds()).setNanos(retryDelay.getNano())).build();
    }

    /** The proto3 JSON form of a google.rpc.Status ({@code {"code":3,"message":"…","details":[…]}}). */
    static byte[] statusJson(int code, String message, Duration retryDelay) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            if (retryDelay != null) {
                g.writeArrayFieldStart("details");
                g.writeStartObject();
                g.writeStringField("@type", "type.googleapis.com/google.rpc.RetryInfo");
                g.writeStringField("retryDelay", protoJsonDuration(retryDelay));
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    static String protoJsonDuration(Duration d) {
        if (d.getNano() == 0) {
            return d.getSeconds() + "s";
        }
        return String.format(java.util.Locale.ROOT, "%d.%09ds", d.getSeconds(), d.getNano());
    }

    interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] json(JsonWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
