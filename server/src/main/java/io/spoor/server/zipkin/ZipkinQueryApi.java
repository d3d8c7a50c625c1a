package io.spoor.server.zipkin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.protocol.zipkin.ZipkinEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.query.SearchRequest;
import io.spoor.query.TraceResults;
import io.spoor.server.http.ApiException;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.Handlers;
import io.spoor.server.http.JsonResponses;
import io.spoor.server.http.Parameters;
import io.spoor.server.http.Params;
import io.spoor.server.http.QueryCors;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zipkin's query API v2 on the Zipkin port (9411), with Zipkin's shapes and status codes; errors are plain text, as
 * Zipkin's are. docs/api.md describes each endpoint and where Spoor differs. Traces and search results are
 * streamed. The receiver on the same port, {@code POST /api/v2/spans}, is
 * {@code io.spoor.server.receiver.zipkin.ZipkinReceiver}.
 */
public final class ZipkinQueryApi {
    private static final Logger log = LoggerFactory.getLogger(ZipkinQueryApi.class);
    /** Zipkin's QUERY_LOOKBACK default: one day, in ms. */
    static final long DEFAULT_LOOKBACK_MS = 86_400_000L;
    static final int DEFAULT_LIMIT = 10;
    /** Keys offered by /api/v2/autocompleteKeys (Zipkin's AUTOCOMPLETE_KEYS): common semantic-convention tags. */
    static final List<String> AUTOCOMPLETE_KEYS = List.of("http.request.method", "http.response.status_code",
            "http.route", "peer.service", "rpc.method", "db.system");
    private static final int AUTOCOMPLETE_SAMPLE = 500;

    private final QueryService queries;
    private final DependencyService dependencies;
    private final QueryCors queryCors;

    public ZipkinQueryApi(QueryService queries, DependencyService dependencies, QueryCors queryCors) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.queryCors = queryCors;
    }

    public void bind(ServerBuilder sb) {
        get(sb, "/api/v2/services", (ctx, req) -> strings(queries.services()));
        get(sb, "/api/v2/spans", this::spanNames);
        get(sb, "/api/v2/remoteServices", this::remoteServices);
        get(sb, "/api/v2/traces", this::traces);
        get(sb, "/api/v2/trace/{traceId}", this::trace);
        get(sb, "/api/v2/traceMany", this::traceMany);
        get(sb, "/api/v2/dependencies", this::dependencies);
        get(sb, "/api/v2/autocompleteKeys", (ctx, req) -> strings(AUTOCOMPLETE_KEYS));
        get(sb, "/api/v2/autocompleteValues", this::autocompleteValues);
    }

    private interface Handler {
        HttpResponse handle(ServiceRequestContext ctx, HttpRequest req);
    }

    private void get(ServerBuilder sb, String path, Handler handler) {
        HttpService service = (ctx, req) -> Handlers.blocking(ctx, ErrorStyle.ZIPKIN, () -> handler.handle(ctx, req));
        queryCors.route(sb.route().get(path)).build(service);
    }

    // ---------------------------------------------------------------- query API

    private HttpResponse spanNames(ServiceRequestContext ctx, HttpRequest req) {
        String service = Params.lenient(ctx.queryParams()).required("serviceName");
        TreeSet<String> names = new TreeSet<>();
        for (Operation o : queries.operations(service)) {
            names.add(o.name());
        }
        return strings(names);
    }

    /** The services that {@code serviceName} calls (its dependency children) over the last day. */
    private HttpResponse remoteServices(ServiceRequestContext ctx, HttpRequest req) {
        String service = Params.lenient(ctx.queryParams()).required("serviceName");
        long now = queries.nowNanos();
        TreeSet<String> names = new TreeSet<>();
        for (DependencyLink l : dependencies.dependencies(queries.recentWindow(
                Math.max(0, now - DEFAULT_LOOKBACK_MS * 1_000_000L), now))) {
            if (l.parent().equals(service)) {
                names.add(l.child());
            }
        }
        return strings(names);
    }

    private HttpResponse traces(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        SearchRequest.Builder r = SearchRequest.builder().service(p.string("serviceName"))
                .operation(p.string("spanName").filter(s -> !s.equals("all")));
        p.string("remoteServiceName").filter(s -> !s.equals("all")).ifPresent(s -> r.tag("peer.service", s));
        long end = p.positiveMillisAsNanos("endTs").orElse(queries.nowNanos() / 1_000_000L * 1_000_000L);
        long lookback = p.positiveMillisAsNanos("lookback").orElse(DEFAULT_LOOKBACK_MS * 1_000_000L);
        OptionalLong minDuration = p.wholeNumber("minDuration", 1L, Long.MAX_VALUE / 1_000L);
        OptionalLong maxDuration = p.wholeNumber("maxDuration", 1L, Long.MAX_VALUE / 1_000L);
        if (maxDuration.isPresent() && minDuration.isEmpty()) {
            throw new InvalidQueryException("maxDuration", "maxDuration is only valid with minDuration");
        }
        if (maxDuration.isPresent()) {
            Parameters.ordered("minDuration", minDuration.getAsLong(), "maxDuration", maxDuration.getAsLong());
        }
        int maxTraces = queries.limits().maxSearchTraces();
        r.limit(p.wholeNumber("limit", 1, maxTraces).orElse(Math.min(DEFAULT_LIMIT, maxTraces)));
        Optional<String> annotationQuery = p.string("annotationQuery");
        if (annotationQuery.isPresent()) {
            for (String term : annotationQuery.get().split(" and ")) {
                String t = term.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.indexOf('=') >= 0) {
                    r.tag(Parameters.keyValue("annotationQuery", t, '='));
                } else if (t.equals("error")) {
                    r.status(StatusCode.ERROR);
                } else {
                    r.key(t);
                }
            }
        }
        r.minDurationNanos(micros(minDuration)).maxDurationNanos(micros(maxDuration))
                .start(OptionalLong.of(Math.max(0, end - lookback))).end(OptionalLong.of(end));
        TraceResults found = queries.searchTraces(r.build(), false);
        return JsonResponses.stream(ctx, req, g -> traceList(g, found));
    }

    private static OptionalLong micros(OptionalLong v) {
        return v.isEmpty() ? v : OptionalLong.of(v.getAsLong() * 1_000L);
    }

    private HttpResponse trace(ServiceRequestContext ctx, HttpRequest req) {
        String hex = ctx.pathParam("traceId");
        TraceId id = Parameters.traceId("traceId", hex == null ? "" : hex, true);
        AssembledTrace t = queries.assembledTrace(id, OptionalLong.empty(), OptionalLong.empty(), false)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "traceId " + Parameters.quote(hex)
                        + " not found"));
        return JsonResponses.stream(ctx, req, g -> ZipkinEncoder.writeTrace(g, t.trace().spans(),
                t.warningsWithTruncation()));
    }

    private HttpResponse traceMany(ServiceRequestContext ctx, HttpRequest req) {
        String raw = Params.lenient(ctx.queryParams()).required("traceIds");
        Set<TraceId> ids = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                ids.add(Parameters.traceId("traceIds", part.strip(), true));
            }
        }
        if (ids.size() < 2) {
            throw new InvalidQueryException("traceIds", "traceIds should be a comma-separated list of at least two "
                    + "trace IDs; use /api/v2/trace/{traceId} for one");
        }
        TraceResults found = queries.traces("traceIds", ids, false);
        return JsonResponses.stream(ctx, req, g -> traceList(g, found));
    }

    /** A list of traces, each a list of spans. Zipkin's format has no place to say the answer was cut. */
    private static void traceList(JsonGenerator g, TraceResults traces) throws IOException {
        g.writeStartArray();
        for (AssembledTrace t : traces) {
            ZipkinEncoder.writeTrace(g, t.trace().spans(), t.warningsWithTruncation());
        }
        g.writeEndArray();
    }

    private HttpResponse dependencies(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.lenient(ctx.queryParams());
        long end = p.positiveMillisAsNanos("endTs").orElseThrow(() ->
                new InvalidQueryException("endTs", "endTs is required (epoch milliseconds)"));
        long lookback = p.positiveMillisAsNanos("lookback").orElse(DEFAULT_LOOKBACK_MS * 1_000_000L);
        List<DependencyLink> links = dependencies.dependencies(queries.recentWindow(Math.max(0, end - lookback), end));
        return JsonResponses.ok(g -> {
            g.writeStartArray();
            for (DependencyLink l : links) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeStringField("child", l.child());
                g.writeNumberField("callCount", l.callCount());
                if (l.errorCount() > 0) {
                    g.writeNumberField("errorCount", l.errorCount());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** Values of {@code key} seen on the newest spans of the last day that carry it. */
    private HttpResponse autocompleteValues(ServiceRequestContext ctx, HttpRequest req) {
        String key = Params.lenient(ctx.queryParams()).required("key");
        long now = queries.nowNanos();
        SearchRequest r = SearchRequest.builder().key(key)
                .start(OptionalLong.of(Math.max(0, now - DEFAULT_LOOKBACK_MS * 1_000_000L))).end(OptionalLong.of(now))
                .limit(Math.min(AUTOCOMPLETE_SAMPLE, queries.limits().maxSearchTraces())).build();
        TreeSet<String> values = new TreeSet<>();
        for (AssembledTrace t : queries.searchTraces(r, true)) {
            for (Span s : t.trace().spans()) {
                s.attributes().getString(key).ifPresent(values::add);
                s.resource().attributes().getString(key).ifPresent(values::add);
            }
        }
        return strings(values);
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse strings(Iterable<String> values) {
        List<String> list = new ArrayList<>();
        values.forEach(list::add);
        return JsonResponses.ok(g -> {
            g.writeStartArray();
            for (String s : list) {
                g.writeString(s);
            }
            g.writeEndArray();
        });
    }

    static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.PLAIN_TEXT_UTF_8),
                HttpData.wrap(message.getBytes(StandardCharsets.UTF_8)));
    }
}
