package io.spoor.server.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.query.SearchRequest;
import io.spoor.query.TraceResults;
import io.spoor.server.http.ApiException;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.JsonResponses;
import io.spoor.server.http.Parameters;
import io.spoor.server.http.Params;
import io.spoor.server.http.QueryCors;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Jaeger's api_v3 over HTTP ({@code /api/v3/services}, {@code /api/v3/operations}, {@code /api/v3/traces},
 * {@code /api/v3/traces/{id}}): traces as OTLP JSON under {@code result}, streamed; errors as
 * {@code {error:{httpCode,message}}}; parameters in camelCase or snake_case (Grafana sends snake_case).
 */
public final class JaegerV3Api {
    static final int DEFAULT_LIMIT = 20;
    /** Attribute carrying query-time warnings in OTLP answers (OTLP has no warnings field). */
    static final String WARNINGS_ATTRIBUTE = "spoor.warnings";

    private final QueryService queries;
    private final QueryCors cors;

    public JaegerV3Api(QueryService queries, QueryCors cors) {
        this.queries = queries;
        this.cors = cors;
    }

    public void bind(ServerBuilder sb) {
        get(sb, "/api/v3/services", (ctx, req) -> {
            List<String> services = queries.services();
            return JsonResponses.ok(g -> {
                g.writeStartObject();
                g.writeFieldName("services");
                JaegerQueries.strings(g, services);
                g.writeEndObject();
            });
        });
        get(sb, "/api/v3/operations", this::operations);
        get(sb, "/api/v3/traces", this::search);
        get(sb, "/api/v3/traces/{traceId}", this::trace);
    }

    private void get(ServerBuilder sb, String path, JaegerQueries.Handler handler) {
        JaegerQueries.get(sb, cors, ErrorStyle.JAEGER_V3, path, handler);
    }

    private HttpResponse operations(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        String service = p.string("service").orElseThrow(() -> new InvalidQueryException("service",
                "service is required"));
        List<Operation> ops = JaegerQueries.filterKind(queries.operations(service),
                JaegerQueries.spanKind("span_kind", p.string("spanKind", "span_kind")));
        return JsonResponses.ok(g -> {
            g.writeStartObject();
            g.writeFieldName("operations");
            JaegerQueries.writeOperations(g, ops);
            g.writeEndObject();
        });
    }

    private HttpResponse search(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        SearchRequest.Builder r = SearchRequest.builder()
                .service(p.string("query.serviceName", "query.service_name"))
                .operation(p.string("query.operationName", "query.operation_name"));
        Optional<String> attributes = p.string("query.attributes", "query.attributes");
        if (attributes.isPresent()) {
            JaegerQueries.tags(r, Parameters.jsonStringMap("query.attributes", attributes.get()), "query.attributes");
        }
        long start = rfc3339(p, "query.startTimeMin", "query.start_time_min").orElseThrow(() ->
                new InvalidQueryException("query.start_time_min", "query.start_time_min is required (RFC 3339)"));
        long end = rfc3339(p, "query.startTimeMax", "query.start_time_max").orElseThrow(() ->
                new InvalidQueryException("query.start_time_max", "query.start_time_max is required (RFC 3339)"));
        Parameters.ordered("query.start_time_min", start, "query.start_time_max", end);
        OptionalLong min = duration(p, "query.durationMin", "query.duration_min");
        OptionalLong max = duration(p, "query.durationMax", "query.duration_max");
        Parameters.ordered("query.duration_min", min.orElse(0), "query.duration_max", max.orElse(Long.MAX_VALUE));
        int maxTraces = queries.limits().maxSearchTraces();
        Optional<String> depth = p.string("query.searchDepth", "query.search_depth")
                .or(() -> p.string("query.numTraces", "query.num_traces"));
        int limit = depth.map(d -> Parameters.wholeNumber("query.search_depth", d, 1, maxTraces))
                .orElse(Math.min(DEFAULT_LIMIT, maxTraces));
        boolean raw = p.string("query.rawTraces", "query.raw_traces")
                .map(v -> Parameters.bool("query.raw_traces", v)).orElse(false);
        r.start(OptionalLong.of(start)).end(OptionalLong.of(end)).minDurationNanos(min).maxDurationNanos(max)
                .limit(limit);
        TraceResults traces = queries.searchTraces(r.build(), raw);
        if (traces.candidates() == 0) {
            throw new ApiException(HttpStatus.NOT_FOUND, "No traces found");
        }
        return JsonResponses.stream(ctx, req, g -> otlp(g, traces));
    }

    private HttpResponse trace(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        String hex = ctx.pathParam("traceId");
        TraceId id = Parameters.traceId("traceId", hex == null ? "" : hex, false);
        OptionalLong start = rfc3339(p, "startTime", "start_time");
        OptionalLong end = rfc3339(p, "endTime", "end_time");
        boolean raw = p.string("rawTraces", "raw_traces").map(v -> Parameters.bool("raw_traces", v)).orElse(false);
        AssembledTrace t = queries.assembledTrace(id, start, end, raw)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "trace not found"));
        return JsonResponses.stream(ctx, req, g -> otlp(g, List.of(t)));
    }

    /**
     * {@code {"result":{"resourceSpans":[…]}}}, one trace at a time; warnings (clock skew, truncation) become a
     * span attribute. OTLP has no place to say that a search was cut at the span budget: such an answer simply
     * holds fewer traces than asked (docs/api.md).
     */
    private static void otlp(JsonGenerator g, Iterable<AssembledTrace> traces) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("result");
        g.writeArrayFieldStart("resourceSpans");
        for (AssembledTrace t : traces) {
            Function<Span, List<String>> warnings = t.warningsWithTruncation();
            List<Span> spans = new ArrayList<>(t.trace().spans().size());
            for (Span s : t.trace().spans()) {
                List<String> w = warnings.apply(s);
                spans.add(w.isEmpty() ? s : withWarnings(s, w));
            }
            OtlpTraceEncoder.writeJsonResourceSpans(g, spans);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static Span withWarnings(Span s, List<String> w) {
        List<Attribute> attrs = new ArrayList<>(s.attributes().asList());
        attrs.add(new Attribute(WARNINGS_ATTRIBUTE, new AttributeValue.ArrayValue(
                w.stream().map(AttributeValue::of).toList())));
        return s.toBuilder().attributes(new Attributes(attrs)).build();
    }

    private static OptionalLong rfc3339(Params p, String camel, String snake) {
        Optional<String> v = p.string(camel, snake);
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Parameters.rfc3339Nanos(snake, v.get()));
    }

    private static OptionalLong duration(Params p, String camel, String snake) {
        Optional<String> v = p.string(camel, snake);
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Parameters.durationNanos(snake, v.get()));
    }
}
