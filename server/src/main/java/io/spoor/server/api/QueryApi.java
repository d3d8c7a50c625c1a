package io.spoor.server.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.TraceId;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.Durations;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.query.SearchRequest;
import io.spoor.query.Timestamps;
import io.spoor.query.analysis.TraceAnalysis;
import io.spoor.storage.TimeWindow;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native query API, {@code /api/v1/*} (documented with examples in docs/api.md). Storage reads block, so
 * every handler runs on the blocking executor. Errors are {@code {"error":{"code":400,"message":"…"}}}.
 */
public final class QueryApi {
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);
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
    private final Clock clock;
    /** Trace lookups in progress, shared by requests for the same trace that arrive meanwhile. */
    private final ConcurrentMap<Lookup, CompletableFuture<Optional<AssembledTrace>>> lookups =
            new ConcurrentHashMap<>();

    private record Lookup(TraceId id, OptionalLong start, OptionalLong end, boolean raw) {
    }

    public QueryApi(QueryService queries, DependencyService dependencies, Clock clock) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.clock = clock;
    }

    /** Binds the routes, with CORS for GET from any origin (the API is read-only). */
    public void bind(ServerBuilder sb) {
        var cors = ReadOnlyCors.decorator();
        sb.route().get("/api/v1/traces/{traceId}").decorator(cors).build(this::trace);
        sb.route().get("/api/v1/traces/{traceId}/analysis").decorator(cors).build(this::analysis);
        sb.route().get("/api/v1/traces").decorator(cors).build(this::search);
        sb.route().get("/api/v1/services").decorator(cors).build(this::services);
        sb.route().get("/api/v1/services/{service}/operations").decorator(cors).build(this::operations);
        sb.route().get("/api/v1/dependencies").decorator(cors).build(this::dependencies);
    }

    private HttpResponse trace(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        // streamed, and gzipped when the client accepts it (browsers do): see TraceJson.stream
        boolean gzip = TraceJson.acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        return withTrace(ctx, t -> TraceJson.stream(ctx.blockingTaskExecutor(), gzip, g -> TraceJson.trace(g, t)));
    }

    private HttpResponse analysis(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        // the trace as the trace endpoint shows it (clock skew adjusted unless raw), so that both agree
        return withTrace(ctx, t -> ok(AnalysisJson.analysis(t.trace().traceId(), TraceAnalysis.of(t.trace()))));
    }

    /** Looks up the path's trace (with the start/end hint and raw switch) and renders it, or answers 404. */
    private HttpResponse withTrace(ServiceRequestContext ctx,
                                   Function<AssembledTrace, HttpResponse> render) {
        return run(ctx, () -> {
            QueryParams p = ctx.queryParams();
            checkKnown(p, TRACE_PARAMETERS);
            String hex = ctx.pathParam("traceId");
            TraceId id = QueryService.parseTraceId(hex == null ? "" : hex);
            return lookup(new Lookup(id, time(p, "start"), time(p, "end"), raw(p)))
                    .map(render)
                    .orElseGet(() -> error(HttpStatus.NOT_FOUND, "trace " + id.toHex() + " not found"));
        });
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
            } catch (java.util.concurrent.CompletionException e) {
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

    private HttpResponse search(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        return run(ctx, () -> {
            QueryParams p = ctx.queryParams();
            checkKnown(p, SEARCH_PARAMETERS);
            List<String> ids = p.getAll("traceId");
            if (!ids.isEmpty()) {
                return ok(TraceJson.summaries(queries.summaries(traceIds(p, ids))));
            }
            SearchRequest request = new SearchRequest(
                    single(p, "service"), single(p, "operation"), p.getAll("tag"),
                    duration(p, "minDuration"), duration(p, "maxDuration"),
                    time(p, "start"), time(p, "end"), limit(p));
            return ok(TraceJson.summaries(queries.search(request)));
        });
    }

    /** {@code traceId} (repeatable) looks traces up by id and takes no other criteria. */
    private static List<TraceId> traceIds(QueryParams p, List<String> hex) {
        for (String name : p.names()) {
            if (!name.equals("traceId")) {
                throw new InvalidQueryException(name, "traceId looks traces up by id and cannot be combined with '"
                        + name + "'");
            }
        }
        if (hex.size() > MAX_TRACE_IDS) {
            throw new InvalidQueryException("traceId", "at most " + MAX_TRACE_IDS + " trace ids per request, got "
                    + hex.size());
        }
        return hex.stream().map(QueryService::parseTraceId).toList();
    }

    private HttpResponse dependencies(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        return run(ctx, () -> {
            QueryParams p = ctx.queryParams();
            checkKnown(p, DEPENDENCY_PARAMETERS);
            java.time.Instant now = clock.instant();
            long end = time(p, "end").orElse(now.getEpochSecond() * 1_000_000_000L + now.getNano());
            long start = time(p, "start").orElse(Math.max(0, end - DEFAULT_DEPENDENCY_WINDOW_NANOS));
            if (end < start) {
                throw new InvalidQueryException("end", "end must not be before start");
            }
            return ok(TraceJson.dependencies(dependencies.dependencies(new TimeWindow(start, end))));
        });
    }

    private HttpResponse services(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        return run(ctx, () -> ok(TraceJson.services(queries.services())));
    }

    private HttpResponse operations(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        return run(ctx, () -> ok(TraceJson.operations(queries.operations(ctx.pathParam("service")))));
    }

    private static HttpResponse run(ServiceRequestContext ctx, Supplier<HttpResponse> handler) {
        CompletableFuture<HttpResponse> f = CompletableFuture.supplyAsync(() -> {
            try {
                return handler.get();
            } catch (InvalidQueryException e) {
                return error(HttpStatus.BAD_REQUEST, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("query {} failed", ctx.path(), e);
                return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
            }
        }, ctx.blockingTaskExecutor()).exceptionally(e -> {
            log.warn("query {} failed", ctx.path(), e);
            return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
        });
        return HttpResponse.of(f);
    }

    static HttpResponse ok(byte[] json) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                HttpData.wrap(json));
    }

    static HttpResponse error(HttpStatus status, String message) {
        return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                HttpData.wrap(TraceJson.error(status.code(), message)));
    }

    private static void checkKnown(QueryParams p, Set<String> known) {
        for (String name : p.names()) {
            if (!known.contains(name)) {
                throw new InvalidQueryException(name, "unknown parameter '" + name + "'; supported: "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static Optional<String> single(QueryParams p, String name) {
        List<String> all = p.getAll(name);
        if (all.size() > 1) {
            throw new InvalidQueryException(name, name + " may be given once");
        }
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** {@code raw=true}: timestamps as recorded, no clock-skew adjustment. */
    private static boolean raw(QueryParams p) {
        return single(p, "raw").map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidQueryException("raw", "raw must be true or false, got '" + v + "'");
        }).orElse(false);
    }

    private static OptionalLong duration(QueryParams p, String name) {
        Optional<String> v = single(p, name);
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Durations.parseNanos(name, v.get()));
    }

    private static OptionalLong time(QueryParams p, String name) {
        Optional<String> v = single(p, name);
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Timestamps.parseEpochNanos(name, v.get()));
    }

    private static Optional<Integer> limit(QueryParams p) {
        Optional<String> v = single(p, "limit");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.get().strip()));
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("limit", "limit must be a whole number between 1 and "
                    + QueryService.MAX_LIMIT + ", got '" + v.get() + "'");
        }
    }
}
