package io.spoor.server.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import io.spoor.model.SpanKind;
import io.spoor.model.StatusCode;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.SearchRequest;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.Handlers;
import io.spoor.server.http.QueryCors;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What Jaeger's two query APIs ({@link JaegerApi}, {@link JaegerV3Api}) read and write alike. */
final class JaegerQueries {
    private JaegerQueries() {
    }

    interface Handler {
        com.linecorp.armeria.common.HttpResponse handle(com.linecorp.armeria.server.ServiceRequestContext ctx,
                                                         com.linecorp.armeria.common.HttpRequest req);
    }

    static void get(ServerBuilder sb, QueryCors cors, ErrorStyle style, String path, Handler handler) {
        HttpService service = (ctx, req) -> Handlers.blocking(ctx, style, () -> handler.handle(ctx, req));
        cors.route(sb.route().get(path)).build(service);
    }

    /**
     * Jaeger's tag criteria into a search. OTLP keeps failure in the span status, so Jaeger's {@code error=true}
     * and {@code otel.status_code=…} tags search the status; every other tag an attribute.
     */
    static void tags(SearchRequest.Builder r, Map<String, String> tags, String parameter) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().equals("error") && t.getValue().equals("true")) {
                r.status(StatusCode.ERROR);
            } else if (t.getKey().equals("otel.status_code")) {
                try {
                    r.status(StatusCode.valueOf(t.getValue().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidQueryException(parameter, "otel.status_code must be OK, ERROR or UNSET");
                }
            } else {
                r.tag(t.getKey(), t.getValue());
            }
        }
    }

    /** Jaeger's names ({@code server}) and the OTLP enum names ({@code SPAN_KIND_SERVER}). */
    static Optional<SpanKind> spanKind(String parameter, Optional<String> v) {
        if (v.isEmpty() || v.get().isBlank()) {
            return Optional.empty();
        }
        String s = v.get().strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SPAN_KIND_")) {
            s = s.substring("SPAN_KIND_".length());
        }
        try {
            return Optional.of(SpanKind.valueOf(s));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(parameter, parameter + " must be one of server, client, producer, "
                    + "consumer, internal; got '" + io.spoor.server.http.Parameters.quote(v.get()) + "'");
        }
    }

    static List<Operation> filterKind(List<Operation> ops, Optional<SpanKind> kind) {
        return kind.isEmpty() ? ops : ops.stream().filter(o -> o.kind() == kind.get()).toList();
    }

    /** Operations as both Jaeger APIs list them: {@code [{"name", "spanKind"}, …]}. */
    static void writeOperations(JsonGenerator g, List<Operation> ops) throws IOException {
        g.writeStartArray();
        for (Operation o : ops) {
            g.writeStartObject();
            g.writeStringField("name", o.name());
            g.writeStringField("spanKind", o.kind() == SpanKind.UNSPECIFIED ? ""
                    : o.kind().name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void strings(JsonGenerator g, Iterable<String> values) throws IOException {
        g.writeStartArray();
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
