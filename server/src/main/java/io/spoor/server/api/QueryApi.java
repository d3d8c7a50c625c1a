package io.spoor.server.api;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.TraceId;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.query.SearchRequest;
import io.spoor.query.analysis.TraceAnalysis;
import io.spoor.server.codec.AnalysisJson;
import io.spoor.server.codec.TraceJson;
import io.spoor.server.http.ApiException;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.Handlers;
import io.spoor.server.http.JsonResponses;
import io.spoor.server.http.Parameters;
import io.spoor.server.http.Params;
import io.spoor.server.http.QueryCors;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The native query API, {@code /api/v1/*} (documented with examples in docs/api.md). Storage reads block, so
 * every handler runs on the blocking executor. Errors are {@code {"error":{"code":400,"message":"…"}}}.
 */
public final class QueryApi {
    private static final Set<String> SEARCH_PARAMETERS =
            Set.of("service", "operation", "tag", "minDuration", "maxDuration", "start", "end", "limit", "traceId");
    /** More ids than this is a scan, not a lookup (and 50 ids keep the URI near 2 KB, under the 4 KB limit). */
    private static final int MAX_TRACE_IDS = 50;
    private static final Set<String> TRACE_PARAMETERS = Set.of("start", "end", "raw");
    private static final Set<String> DEPENDENCY_PARAMETERS = Set.of("start", "end");
    /** Without {@code start}, dependencies cover the day before {@code end}. */
    static final long DEFAULT_DEPENDENCY_WINDOW_NANOS = 86_400_000_000_000L;

    private final QueryService queries;
    private final DependencyService dependencies;
    private final QueryCors cors;
    /** Trace lookups in progress, shared by requests for the same trace that arrive meanwhile. */
    private final ConcurrentMap<Lookup, CompletableFuture<Optional<AssembledTrace>>> lookups =
            new ConcurrentHashMap<>();

    private record Lookup(TraceId id, OptionalLong start, OptionalLong end, boolean raw) {
    }

    public QueryApi(QueryService queries, DependencyService dependencies, QueryCors cors) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.cors = cors;
    }

    public void bind(ServerBuilder sb) {
        route(sb, "/api/v1/traces/{traceId}", this::trace);
        route(sb, "/api/v1/traces/{traceId}/analysis", this::analysis);
        route(sb, "/api/v1/traces", this::search);
        route(sb, "/api/v1/services", (ctx, req) -> JsonResponses.ok(TraceJson.services(queries.services())));
        route(sb, "/api/v1/services/{service}/operations", (ctx, req) ->
                JsonResponses.ok(TraceJson.operations(queries.operations(ctx.pathParam("service")))));
        route(sb, "/api/v1/dependencies", this::dependencies);
    }

    private interface Handler {
        HttpResponse handle(ServiceRequestContext ctx, HttpRequest req);
    }

    private void route(ServerBuilder sb, String path, Handler handler) {
        HttpService service = (ctx, req) -> Handlers.blocking(ctx, ErrorStyle.NATIVE, () -> handler.handle(ctx, req));
        cors.route(sb.route().get(path)).build(service);
    }

    private HttpResponse trace(ServiceRequestContext ctx, HttpRequest req) {
        // streamed, and gzipped when the client accepts it (browsers do)
        AssembledTrace t = pathTrace(ctx);
        return JsonResponses.stream(ctx, req, TraceJson.trace(t));
    }

    private HttpResponse analysis(ServiceRequestContext ctx, HttpRequest req) {
        // the trace as the trace endpoint shows it (clock skew adjusted unless raw), so that both agree
        AssembledTrace t = pathTrace(ctx);
        return JsonResponses.ok(AnalysisJson.analysis(t.trace().traceId(), TraceAnalysis.of(t.trace())));
    }

    /** The path's trace (with the start/end hint and raw switch), or a 404. */
    private AssembledTrace pathTrace(ServiceRequestContext ctx) {
        Params p = Params.strict(ctx.queryParams()).onlyKnown(TRACE_PARAMETERS);
        String hex = ctx.pathParam("traceId");
        TraceId id = Parameters.traceId("traceId", hex == null ? "" : hex, false);
        return lookup(new Lookup(id, p.epochNanos("start"), p.epochNanos("end"), p.bool("raw", false)))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "trace " + id.toHex() + " not found"));
    }

    /**
     * The assembled trace. Requests for a trace whose lookup is under way wait for it instead of reading the store
     * again: the web UI asks for a trace and its analysis at once, and reading a 100,000-span trace twice at the
     * same time doubled the work. Nothing is kept once the lookup is done (no cache: a later request reads anew).
     */
    private Optional<AssembledTrace> lookup(Lookup key) {
        CompletableFuture<Optional<AssembledTrace>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<AssembledTrace>> running = lookups.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Optional<AssembledTrace> t = queries.assembledTrace(key.id(), key.start(), key.end(), key.raw());
            mine.complete(t);
            return t;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            lookups.remove(key, mine);
        }
    }

    private HttpResponse search(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.strict(ctx.queryParams()).onlyKnown(SEARCH_PARAMETERS);
        List<String> ids = p.all("traceId", Integer.MAX_VALUE);
        if (!ids.isEmpty()) {
            if (ids.size() > MAX_TRACE_IDS) {
                throw new InvalidQueryException("traceId", "at most " + MAX_TRACE_IDS + " trace ids per request, got "
                        + ids.size());
            }
            for (String name : p.names()) {
                if (!name.equals("traceId")) {
                    throw new InvalidQueryException(name, "traceId looks traces up by id and cannot be combined "
                            + "with '" + name + "'");
                }
            }
            List<TraceId> traceIds = ids.stream().map(hex -> Parameters.traceId("traceId", hex, false)).toList();
            return JsonResponses.stream(ctx, req, TraceJson.summaries(queries.summaries(traceIds)));
        }
        SearchRequest.Builder r = SearchRequest.builder()
                .service(p.string("service")).operation(p.string("operation"))
                .minDurationNanos(p.durationNanos("minDuration")).maxDurationNanos(p.durationNanos("maxDuration"))
                .start(p.epochNanos("start")).end(p.epochNanos("end"));
        for (String tag : p.all("tag", QueryService.MAX_TAGS)) {
            r.tag(Parameters.keyValue("tag", tag, '='));
        }
        p.wholeNumber("limit", 1, QueryService.MAX_LIMIT).ifPresent(r::limit);
        return JsonResponses.stream(ctx, req, TraceJson.summaries(queries.search(r.build())));
    }

    private HttpResponse dependencies(ServiceRequestContext ctx, HttpRequest req) {
        Params p = Params.strict(ctx.queryParams()).onlyKnown(DEPENDENCY_PARAMETERS);
        long end = p.epochNanos("end").orElse(queries.nowNanos());
        long start = p.epochNanos("start").orElse(Math.max(0, end - DEFAULT_DEPENDENCY_WINDOW_NANOS));
        Parameters.ordered("start", start, "end", end);
        return JsonResponses.ok(TraceJson.dependencies(dependencies.dependencies(queries.recentWindow(start, end))));
    }
}
