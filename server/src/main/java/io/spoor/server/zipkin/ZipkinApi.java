package io.spoor.server.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.cors.CorsService;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.protocol.zipkin.ZipkinEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.storage.Operation;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zipkin's query API v2 on the Zipkin port (9411) with Zipkin's shapes and status codes (the receiver on the same
 * port is {@code io.spoor.server.receiver.zipkin.ZipkinReceiver}). Errors
 * are plain text, as Zipkin's are. docs/api.md describes each endpoint and where Spoor differs.
 */
public final class ZipkinApi {
    private static final Logger log = LoggerFactory.getLogger(ZipkinApi.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** Zipkin's QUERY_LOOKBACK default: one day, in ms. */
    static final long DEFAULT_LOOKBACK_MS = 86_400_000L;
    static final int DEFAULT_LIMIT = 10;
    /** Keys offered by /api/v2/autocompleteKeys (Zipkin's AUTOCOMPLETE_KEYS): common semantic-convention tags. */
    static final List<String> AUTOCOMPLETE_KEYS = List.of("http.request.method", "http.response.status_code",
            "http.route", "peer.service", "rpc.method", "db.system");
    private static final int AUTOCOMPLETE_SAMPLE = 500;

    private final QueryService queries;
    private final DependencyService dependencies;
    private final Clock clock;

    public ZipkinApi(QueryService queries, DependencyService dependencies, Clock clock) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.clock = clock;
    }

    public void bind(ServerBuilder sb) {
        var cors = CorsService.builderForAnyOrigin().allowRequestMethods(HttpMethod.GET, HttpMethod.POST)
                .allowRequestHeaders("content-type", "content-encoding").maxAge(3600).newDecorator();
        sb.route().get("/api/v2/services").decorator(cors).build((ctx, req) -> query(ctx, this::services));
        sb.route().get("/api/v2/spans").decorator(cors).build((ctx, req) -> query(ctx, () -> spanNames(ctx)));
        sb.route().get("/api/v2/remoteServices").decorator(cors).build((ctx, req) ->
                query(ctx, () -> remoteServices(ctx)));
        sb.route().get("/api/v2/traces").decorator(cors).build((ctx, req) -> query(ctx, () -> traces(ctx)));
        sb.route().get("/api/v2/trace/{traceId}").decorator(cors).build((ctx, req) -> query(ctx, () -> trace(ctx)));
        sb.route().get("/api/v2/traceMany").decorator(cors).build((ctx, req) -> query(ctx, () -> traceMany(ctx)));
        sb.route().get("/api/v2/dependencies").decorator(cors).build((ctx, req) ->
                query(ctx, () -> dependencies(ctx)));
        sb.route().get("/api/v2/autocompleteKeys").decorator(cors).build((ctx, req) ->
                query(ctx, () -> json(g -> strings(g, AUTOCOMPLETE_KEYS))));
        sb.route().get("/api/v2/autocompleteValues").decorator(cors).build((ctx, req) ->
                query(ctx, () -> autocompleteValues(ctx)));
    }

    // ---------------------------------------------------------------- query API

    private HttpResponse services() {
        return json(g -> strings(g, queries.services()));
    }

    private HttpResponse spanNames(ServiceRequestContext ctx) {
        String service = required(ctx.queryParams(), "serviceName");
        TreeSet<String> names = new TreeSet<>();
        for (Operation o : queries.operations(service)) {
            names.add(o.name());
        }
        return json(g -> strings(g, names));
    }

    /** The services that {@code serviceName} calls (its dependency children) over the last day. */
    private HttpResponse remoteServices(ServiceRequestContext ctx) {
        String service = required(ctx.queryParams(), "serviceName");
        long now = nowNanos();
        TreeSet<String> names = new TreeSet<>();
        for (DependencyLink l : dependencies.dependencies(new TimeWindow(Math.max(0,
                now - DEFAULT_LOOKBACK_MS * 1_000_000L), now))) {
            if (l.parent().equals(service)) {
                names.add(l.child());
            }
        }
        return json(g -> strings(g, names));
    }

    private HttpResponse traces(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        Optional<String> service = optional(p, "serviceName");
        Optional<String> remote = optional(p, "remoteServiceName").filter(s -> !s.equals("all"));
        Optional<String> spanName = optional(p, "spanName").filter(s -> !s.equals("all"));
        long endTs = positiveLong(p, "endTs").orElse(nowNanos() / 1_000_000L);
        long lookback = positiveLong(p, "lookback").orElse(DEFAULT_LOOKBACK_MS);
        OptionalLong minDuration = positiveLong(p, "minDuration");
        OptionalLong maxDuration = positiveLong(p, "maxDuration");
        if (maxDuration.isPresent() && minDuration.isEmpty()) {
            throw new InvalidQueryException("maxDuration", "maxDuration is only valid with minDuration");
        }
        if (maxDuration.isPresent() && maxDuration.getAsLong() < minDuration.getAsLong()) {
            throw new InvalidQueryException("maxDuration", "maxDuration must be greater than or equal to minDuration");
        }
        int limit = (int) positiveLong(p, "limit").orElse(DEFAULT_LIMIT);
        if (limit > TraceQuery.MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be at most " + TraceQuery.MAX_LIMIT);
        }
        List<TraceQuery.Tag> tags = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Optional<StatusCode> status = Optional.empty();
        remote.ifPresent(r -> tags.add(new TraceQuery.Tag("peer.service", r)));
        Optional<String> annotationQuery = optional(p, "annotationQuery");
        if (annotationQuery.isPresent()) {
            for (String term : annotationQuery.get().split(" and ")) {
                String t = term.strip();
                if (t.isEmpty()) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq == 0) {
                    throw new InvalidQueryException("annotationQuery", "annotationQuery term '" + t
                            + "' has no key");
                }
                if (eq > 0) {
                    tags.add(new TraceQuery.Tag(t.substring(0, eq), t.substring(eq + 1)));
                } else if (t.equals("error")) {
                    status = Optional.of(StatusCode.ERROR);
                } else {
                    keys.add(t);
                }
            }
        }
        long endNanos = Math.multiplyExact(endTs, 1_000_000L);
        long startNanos = Math.max(0, endNanos - Math.multiplyExact(Math.min(lookback, endTs), 1_000_000L));
        TraceQuery q = new TraceQuery(service, spanName, tags, keys, status,
                minDuration.isPresent() ? Math.multiplyExact(minDuration.getAsLong(), 1000L) : 0,
                maxDuration.isPresent() ? Math.multiplyExact(maxDuration.getAsLong(), 1000L) : Long.MAX_VALUE,
                new TimeWindow(startNanos, endNanos), limit);
        List<AssembledTrace> found = queries.searchTraces(q, false);
        return json(g -> {
            g.writeStartArray();
            for (AssembledTrace t : found) {
                ZipkinEncoder.writeTrace(g, t.trace().spans(), t::warnings);
            }
            g.writeEndArray();
        });
    }

    private HttpResponse trace(ServiceRequestContext ctx) {
        String hex = ctx.pathParam("traceId");
        TraceId id = parseTraceId(hex == null ? "" : hex);
        Optional<AssembledTrace> t = queries.assembledTrace(id, OptionalLong.empty(), OptionalLong.empty(), false);
        if (t.isEmpty()) {
            return text(HttpStatus.NOT_FOUND, "traceId " + hex + " not found");
        }
        return json(g -> ZipkinEncoder.writeTrace(g, t.get().trace().spans(), t.get()::warnings));
    }

    private HttpResponse traceMany(ServiceRequestContext ctx) {
        String raw = required(ctx.queryParams(), "traceIds");
        Set<TraceId> ids = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                ids.add(parseTraceId(part.strip()));
            }
        }
        if (ids.size() < 2) {
            throw new InvalidQueryException("traceIds", "traceIds should be a comma-separated list of at least two "
                    + "trace IDs; use /api/v2/trace/{traceId} for one");
        }
        if (ids.size() > TraceQuery.MAX_LIMIT) {
            throw new InvalidQueryException("traceIds", "at most " + TraceQuery.MAX_LIMIT + " trace IDs");
        }
        List<AssembledTrace> found = new ArrayList<>();
        for (TraceId id : ids) {
            queries.assembledTrace(id, OptionalLong.empty(), OptionalLong.empty(), false).ifPresent(found::add);
        }
        return json(g -> {
            g.writeStartArray();
            for (AssembledTrace t : found) {
                ZipkinEncoder.writeTrace(g, t.trace().spans(), t::warnings);
            }
            g.writeEndArray();
        });
    }

    private HttpResponse dependencies(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        long endTs = positiveLong(p, "endTs").orElseThrow(() ->
                new InvalidQueryException("endTs", "endTs is required (epoch milliseconds)"));
        long lookback = positiveLong(p, "lookback").orElse(DEFAULT_LOOKBACK_MS);
        long end = Math.multiplyExact(endTs, 1_000_000L);
        long start = Math.max(0, end - Math.multiplyExact(Math.min(lookback, endTs), 1_000_000L));
        List<DependencyLink> links = dependencies.dependencies(new TimeWindow(start, end));
        return json(g -> {
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
    private HttpResponse autocompleteValues(ServiceRequestContext ctx) {
        String key = required(ctx.queryParams(), "key");
        long now = nowNanos();
        TraceQuery q = new TraceQuery(Optional.empty(), Optional.empty(), List.of(), List.of(key), Optional.empty(),
                0, Long.MAX_VALUE, new TimeWindow(Math.max(0, now - DEFAULT_LOOKBACK_MS * 1_000_000L), now),
                AUTOCOMPLETE_SAMPLE);
        TreeSet<String> values = new TreeSet<>();
        for (AssembledTrace t : queries.searchTraces(q, true)) {
            for (Span s : t.trace().spans()) {
                s.attributes().getString(key).ifPresent(values::add);
                s.resource().attributes().getString(key).ifPresent(values::add);
            }
        }
        return json(g -> strings(g, values));
    }

    // ---------------------------------------------------------------- helpers

    private long nowNanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static TraceId parseTraceId(String hex) {
        if (hex.isEmpty() || hex.length() > 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new InvalidQueryException("traceId", "traceId '" + abbreviate(hex)
                    + "' is not 16 or 32 hex characters");
        }
        String padded = hex.length() <= 16 ? "0".repeat(16 - hex.length()) + hex
                : "0".repeat(32 - hex.length()) + hex;
        TraceId id = TraceId.fromHex(padded);
        if (!id.isValid()) {
            throw new InvalidQueryException("traceId", "traceId must not be zero");
        }
        // a 128-bit id whose high half is zero is the 64-bit id Zipkin would store
        return id;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static Optional<String> optional(QueryParams p, String name) {
        List<String> all = p.getAll(name);
        if (all.size() > 1) {
            throw new InvalidQueryException(name, name + " may be given once");
        }
        return all.isEmpty() || all.get(0).isBlank() ? Optional.empty() : Optional.of(all.get(0).strip());
    }

    private static String required(QueryParams p, String name) {
        return optional(p, name).orElseThrow(() -> new InvalidQueryException(name, name + " is required"));
    }

    private static OptionalLong positiveLong(QueryParams p, String name) {
        Optional<String> v = optional(p, name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        long n;
        try {
            n = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(name, name + " must be a whole number, got '" + abbreviate(v.get()) + "'");
        }
        if (n <= 0) {
            throw new InvalidQueryException(name, name + " must be greater than zero, got " + n);
        }
        if (n > Long.MAX_VALUE / 1_000_000L) {
            throw new InvalidQueryException(name, name + " is too large: " + n);
        }
        return OptionalLong.of(n);
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void strings(JsonGenerator g, Iterable<String> values) throws IOException {
        g.writeStartArray();
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    static HttpResponse json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                HttpData.wrap(out.toByteArray()));
    }

    static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.PLAIN_TEXT_UTF_8),
                HttpData.wrap(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse query(ServiceRequestContext ctx, Supplier<HttpResponse> handler) {
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                return handler.get();
            } catch (InvalidQueryException e) {
                return text(HttpStatus.BAD_REQUEST, e.getMessage());
            } catch (ArithmeticException e) {
                return text(HttpStatus.BAD_REQUEST, "a time or duration parameter is out of range");
            } catch (RuntimeException e) {
                log.warn("Zipkin query {} failed", ctx.path(), e);
                return text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
            }
        }, ctx.blockingTaskExecutor()));
    }
}
