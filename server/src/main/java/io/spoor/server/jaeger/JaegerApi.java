package io.spoor.server.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.DependencyLink;
import io.spoor.model.TraceId;
import io.spoor.protocol.jaeger.JaegerJsonEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.query.SearchRequest;
import io.spoor.query.TraceResults;
import io.spoor.server.http.ApiException;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.JsonBody;
import io.spoor.server.http.JsonResponses;
import io.spoor.server.http.Parameters;
import io.spoor.server.http.Params;
import io.spoor.server.http.QueryCors;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Jaeger's internal JSON API, the one the Jaeger UI and Grafana's Jaeger data source call: {@code /api/services},
 * {@code /api/services/{s}/operations}, {@code /api/operations}, {@code /api/traces}, {@code /api/traces/{id}},
 * {@code /api/dependencies}. Every answer is {@code {data,total,limit,offset,errors}}; errors are
 * {@code {errors:[{code,msg}]}}. Traces are streamed; a search's {@code errors} says when the answer was cut
 * ({@code spoor.query.max_trace_spans}).
 */
public final class JaegerApi {
    static final int DEFAULT_LIMIT = 100;
    static final long DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000L;

    private final QueryService queries;
    private final DependencyService dependencies;
    private final QueryCors cors;

    public JaegerApi(QueryService queries, DependencyService dependencies, QueryCors cors) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.cors = cors;
    }

    public void bind(ServerBuilder sb) {
        get(sb, "/api/services", (ctx, req) -> ok(queries.services()));
        get(sb, "/api/services/{service}/operations", this::serviceOperations);
        get(sb, "/api/operations", this::operations);
        get(sb, "/api/traces", this::search);
        get(sb, "/api/traces/{traceId}", this::trace);
        get(sb, "/api/dependencies", this::dependencies);
    }

    private void get(ServerBuilder sb, String path, JaegerQueries.Handler handler) {
        JaegerQueries.get(sb, cors, ErrorStyle.JAEGER, path, handler);
    }

    private HttpResponse serviceOperations(ServiceRequestContext ctx, HttpRequest req) {
        String service = ctx.pathParam("service");
        TreeSet<String> names = new TreeSet<>();
        for (Operation o : queries.operations(service == null ? "" : service)) {
            names.add(o.name());
        }
        return ok(names);
    }

    private HttpResponse operations(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        String service = p.string("service").orElseThrow(() -> new InvalidQueryException("service",
                "parameter 'service' is required"));
        List<Operation> ops = JaegerQueries.filterKind(queries.operations(service),
                JaegerQueries.spanKind("spanKind", p.string("spanKind")));
        return JsonResponses.ok(envelope(ops.size(), g -> JaegerQueries.writeOperations(g, ops), List.of()));
    }

    private HttpResponse search(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        boolean raw = p.bool("raw", false);
        int max = queries.limits().maxSearchTraces();
        List<String> traceIds = p.all("traceID", max);
        TraceResults traces;
        if (!traceIds.isEmpty()) {
            List<TraceId> ids = traceIds.stream().map(hex -> Parameters.traceId("traceID", hex, false)).toList();
            traces = queries.traces("traceID", ids, raw);
        } else {
            String service = p.string("service").orElseThrow(() -> new InvalidQueryException("service",
                    "parameter 'service' is required"));
            SearchRequest.Builder r = SearchRequest.builder().service(java.util.Optional.of(service))
                    .operation(p.string("operation"));
            java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
            for (String t : p.all("tag", QueryService.MAX_TAGS)) {
                var kv = Parameters.keyValue("tag", t, ':');
                tags.put(kv.key(), kv.value());
            }
            for (String json : p.all("tags", QueryService.MAX_TAGS)) {
                tags.putAll(Parameters.jsonStringMap("tags", json));
            }
            JaegerQueries.tags(r, tags, "tags");
            OptionalLong start = p.epochMicrosAsNanos("start");
            OptionalLong end = p.epochMicrosAsNanos("end");
            OptionalLong min = p.durationNanos("minDuration");
            OptionalLong maxDuration = p.durationNanos("maxDuration");
            Parameters.ordered("minDuration", min.orElse(0), "maxDuration", maxDuration.orElse(Long.MAX_VALUE));
            Parameters.ordered("start", start.orElse(0), "end", end.orElse(Long.MAX_VALUE));
            r.start(start).end(end).minDurationNanos(min).maxDurationNanos(maxDuration)
                    .limit(p.wholeNumber("limit", 1, max).orElse(Math.min(DEFAULT_LIMIT, max)));
            traces = queries.searchTraces(r.build(), raw);
        }
        return JsonResponses.stream(ctx, req, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            int n = 0;
            for (AssembledTrace t : traces) {
                JaegerJsonEncoder.writeTrace(g, t.trace(), t.warningsWithTruncation());
                n++;
            }
            g.writeEndArray();
            tail(g, n, traces.warnings());
        });
    }

    private HttpResponse trace(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        String hex = ctx.pathParam("traceId");
        TraceId id = Parameters.traceId("traceId", hex == null ? "" : hex, false);
        AssembledTrace t = queries.assembledTrace(id, p.epochMicrosAsNanos("start"), p.epochMicrosAsNanos("end"),
                p.bool("raw", false)).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "trace not found"));
        return JsonResponses.stream(ctx, req, envelope(1, g -> {
            g.writeStartArray();
            JaegerJsonEncoder.writeTrace(g, t.trace(), t.warningsWithTruncation());
            g.writeEndArray();
        }, List.of()));
    }

    private HttpResponse dependencies(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        long end = p.positiveMillisAsNanos("endTs").orElse(queries.nowNanos() / 1_000_000L * 1_000_000L);
        long lookback = p.positiveMillisAsNanos("lookback").orElse(DEFAULT_DEPENDENCY_LOOKBACK_MS * 1_000_000L);
        List<DependencyLink> links = dependencies.dependencies(queries.recentWindow(Math.max(0, end - lookback), end));
        return JsonResponses.ok(envelope(links.size(), g -> {
            g.writeStartArray();
            for (DependencyLink l : links) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeStringField("child", l.child());
                g.writeNumberField("callCount", l.callCount());
                g.writeEndObject();
            }
            g.writeEndArray();
        }, List.of()));
    }

    private static HttpResponse ok(Iterable<String> strings) {
        List<String> list = new java.util.ArrayList<>();
        strings.forEach(list::add);
        return JsonResponses.ok(envelope(list.size(), g -> JaegerQueries.strings(g, list), List.of()));
    }

    /** {@code {"data":…,"total":n,"limit":0,"offset":0,"errors":…}}. */
    private static JsonBody envelope(int total, JsonBody data, List<String> warnings) {
        return g -> {
            g.writeStartObject();
            g.writeFieldName("data");
            data.write(g);
            tail(g, total, warnings);
        };
    }

    /** The envelope after {@code data}; warnings go where Jaeger puts partial failures, in {@code errors}. */
    private static void tail(JsonGenerator g, int total, List<String> warnings) throws IOException {
        g.writeNumberField("total", total);
        g.writeNumberField("limit", 0);
        g.writeNumberField("offset", 0);
        if (warnings.isEmpty()) {
            g.writeNullField("errors");
        } else {
            g.writeArrayFieldStart("errors");
            for (String w : warnings) {
                g.writeStartObject();
                g.writeNumberField("code", HttpStatus.OK.code());
                g.writeStringField("msg", w);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
