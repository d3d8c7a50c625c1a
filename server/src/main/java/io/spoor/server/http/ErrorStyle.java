package io.spoor.server.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** How each API shapes an error, so that its own clients read it (docs/api.md). */
public enum ErrorStyle {
    /** Spoor's {@code /api/v1}: {@code {"error":{"code":400,"message":"…"}}}. */
    NATIVE {
        @Override
        JsonBody body(HttpStatus status, String message) {
            return g -> {
                g.writeStartObject();
                g.writeObjectFieldStart("error");
                g.writeNumberField("code", status.code());
                g.writeStringField("message", message);
                g.writeEndObject();
                g.writeEndObject();
            };
        }
    },
    /** Jaeger's internal {@code /api/*}: the usual envelope with {@code data} null and one entry in {@code errors}. */
    JAEGER {
        @Override
        JsonBody body(HttpStatus status, String message) {
            return g -> {
                g.writeStartObject();
                g.writeNullField("data");
                g.writeNumberField("total", 0);
                g.writeNumberField("limit", 0);
                g.writeNumberField("offset", 0);
                g.writeArrayFieldStart("errors");
                g.writeStartObject();
                g.writeNumberField("code", status.code());
                g.writeStringField("msg", message);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            };
        }
    },
    /** Jaeger's api_v3 over HTTP (grpc-gateway's shape): {@code {"error":{"httpCode":400,"message":"…"}}}. */
    JAEGER_V3 {
        @Override
        JsonBody body(HttpStatus status, String message) {
            return g -> {
                g.writeStartObject();
                g.writeObjectFieldStart("error");
                g.writeNumberField("httpCode", status.code());
                g.writeStringField("message", message);
                g.writeEndObject();
                g.writeEndObject();
            };
        }
    },
    /** Zipkin's API v2: plain text, as Zipkin answers. */
    ZIPKIN {
        @Override
        JsonBody body(HttpStatus status, String message) {
            return null;
        }

        @Override
        public AggregatedHttpResponse aggregated(HttpStatus status, String message) {
            return AggregatedHttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
        }
    };

    abstract JsonBody body(HttpStatus status, String message);

    public AggregatedHttpResponse aggregated(HttpStatus status, String message) {
        return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, JsonResponses.bytes(body(status, message)));
    }

    public HttpResponse render(HttpStatus status, String message) {
        return aggregated(status, message).toHttpResponse();
    }
}
