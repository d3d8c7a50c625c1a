package io.spoor.server.codec;

import io.spoor.model.SpanId;
import io.spoor.model.TraceId;
import io.spoor.query.analysis.CriticalSegment;
import io.spoor.query.analysis.ErrorOrigin;
import io.spoor.query.analysis.ServiceLatency;
import io.spoor.query.analysis.TraceAnalysis;
import io.spoor.server.http.JsonBody;

/**
 * JSON of {@code GET /api/v1/traces/{id}/analysis} (docs/api.md), in the native API's conventions. Beside
 * {@link TraceJson} for the same reason: it writes the query module's analysis values.
 */
public final class AnalysisJson {
    private AnalysisJson() {
    }

    public static JsonBody analysis(TraceId traceId, TraceAnalysis a) {
        return g -> {
            g.writeStartObject();
            g.writeStringField("traceId", traceId.toHex());
            g.writeArrayFieldStart("criticalPath");
            for (CriticalSegment s : a.criticalPath()) {
                g.writeStartObject();
                g.writeStringField("spanId", SpanId.toHex(s.spanId()));
                g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
                g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.endEpochNanos()));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (a.errorOrigin().isPresent()) {
                ErrorOrigin o = a.errorOrigin().get();
                g.writeObjectFieldStart("errorOrigin");
                g.writeStringField("spanId", SpanId.toHex(o.spanId()));
                g.writeStringField("serviceName", o.serviceName());
                g.writeStringField("spanName", o.spanName());
                g.writeStringField("exceptionType", o.exceptionType());
                g.writeStringField("message", o.message());
                g.writeStringField("exceptionStacktrace", o.exceptionStacktrace());
                g.writeEndObject();
            } else {
                g.writeNullField("errorOrigin");
            }
            g.writeArrayFieldStart("latencyByService");
            for (ServiceLatency l : a.latencyByService()) {
                g.writeStartObject();
                g.writeStringField("serviceName", l.serviceName());
                g.writeStringField("selfTimeNanos", Long.toString(l.selfTimeNanos()));
                g.writeNumberField("spanCount", l.spanCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }
}
