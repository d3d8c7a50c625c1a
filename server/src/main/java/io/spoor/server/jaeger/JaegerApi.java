package io.spoor.server.jaeger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.protocol.jaeger.JaegerJsonEncoder;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.query.DependencyService;
import io.spoor.query.Durations;
import io.spoor.query.InvalidQueryException;
import io.spoor.query.QueryService;
import io.spoor.server.api.ReadOnlyCors;
import io.spoor.storage.Operation;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jaeger's query APIs on the HTTP port, for the Jaeger UI and Grafana's Jaeger data source:
 * <ul>
 *   <li>the internal JSON API ({@code /api/services}, {@code /api/services/{s}/operations}, {@code /api/operations},
 *       {@code /api/traces}, {@code /api/traces/{id}}, {@code /api/dependencies}): every answer is
 *       {@code {data,total,limit,offset,errors}}, errors are {@code {errors:[{code,msg}]}};</li>
 *   <li>api_v3 over HTTP ({@code /api/v3/services}, {@code /api/v3/operations}, {@code /api/v3/traces},
 *       {@code /api/v3/traces/{id}}): traces as OTLP JSON under {@code result}, errors as
 *       {@code {error:{httpCode,message}}}; parameters in camelCase or snake_case.</li>
 * </ul>
 */
public final class JaegerApi {
    private static final Logger log = LoggerFactory.getLogger(JaegerApi.class);
    private static final JsonFactory JSON = new JsonFactory();
    static final int DEFAULT_LIMIT = 100;
    static final int V3_DEFAULT_LIMIT = 20;
    static final long DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000L;
    /** Attribute carrying query-time warnings in OTLP answers (OTLP has no warnings field). */
    static final String WARNINGS_ATTRIBUTE = "spoor.warnings";

    private final QueryService queries;
    private final DependencyService dependencies;
    private final Clock clock;

    public JaegerApi(QueryService queries, DependencyService dependencies, Clock clock) {
        this.queries = queries;
        this.dependencies = dependencies;
        this.clock = clock;
    }

    public void bind(ServerBuilder sb) {
        var cors = ReadOnlyCors.decorator();
        sb.route().get("/api/services").decorator(cors).build((ctx, req) -> v1(ctx, this::services));
        sb.route().get("/api/services/{service}/operations").decorator(cors).build((ctx, req) ->
                v1(ctx, () -> serviceOperations(ctx)));
        sb.route().get("/api/operations").decorator(cors).build((ctx, req) -> v1(ctx, () -> operations(ctx)));
        sb.route().get("/api/traces").decorator(cors).build((ctx, req) -> v1(ctx, () -> search(ctx)));
        sb.route().get("/api/traces/{traceId}").decorator(cors).build((ctx, req) -> v1(ctx, () -> trace(ctx)));
        sb.route().get("/api/dependencies").decorator(cors).build((ctx, req) -> v1(ctx, () -> deps(ctx)));
        sb.route().get("/api/v3/services").decorator(cors).build((ctx, req) -> v3(ctx, this::v3Services));
        sb.route().get("/api/v3/operations").decorator(cors).build((ctx, req) -> v3(ctx, () -> v3Operations(ctx)));
        sb.route().get("/api/v3/traces").decorator(cors).build((ctx, req) -> v3(ctx, () -> v3Search(ctx)));
        sb.route().get("/api/v3/traces/{traceId}").decorator(cors).build((ctx, req) -> v3(ctx, () -> v3Trace(ctx)));
    }

    /** An answer with a status; thrown by handlers to end with a Jaeger-shaped error. */
    static final class ApiError extends RuntimeException {
        final HttpStatus status;

        ApiError(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;

        /** The {@code data} member of a v1 answer. */
        interface Inner {
            void write() throws IOException;
        }
    }

    // ---------------------------------------------------------------- internal JSON API (v1)

    private Body services() {
        List<String> services = queries.services();
        return g -> data(g, services.size(), () -> strings(g, services));
    }

    private Body serviceOperations(ServiceRequestContext ctx) {
        String service = ctx.pathParam("service");
        TreeSet<String> names = new TreeSet<>();
        for (Operation o : queries.operations(service == null ? "" : service)) {
            names.add(o.name());
        }
        return g -> data(g, names.size(), () -> strings(g, names));
    }

    private Body operations(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        String service = one(p, "service").orElseThrow(() -> new InvalidQueryException("service",
                "parameter 'service' is required"));
        Optional<SpanKind> kind = spanKind(one(p, "spanKind"));
        List<Operation> ops = filterKind(queries.operations(service), kind);
        return g -> data(g, ops.size(), () -> writeOperations(g, ops));
    }

    /** Operations as both Jaeger APIs list them: {@code [{"name", "spanKind"}, …]}. */
    private static void writeOperations(JsonGenerator g, List<Operation> ops) throws IOException {
        g.writeStartArray();
        for (Operation o : ops) {
            g.writeStartObject();
            g.writeStringField("name", o.name());
            g.writeStringField("spanKind", kindName(o.kind()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private Body search(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        boolean raw = bool(p, "raw");
        List<AssembledTrace> traces = new ArrayList<>();
        List<String> traceIds = p.getAll("traceID");
        if (!traceIds.isEmpty()) {
            for (String hex : traceIds) {
                queries.assembledTrace(QueryService.parseTraceId(hex), OptionalLong.empty(), OptionalLong.empty(),
                        raw).ifPresent(traces::add);
            }
        } else {
            String service = one(p, "service").orElseThrow(() -> new InvalidQueryException("service",
                    "parameter 'service' is required"));
            Map<String, String> tags = new LinkedHashMap<>();
            for (String t : p.getAll("tag")) {
                int colon = t.indexOf(':');
                if (colon <= 0) {
                    throw new InvalidQueryException("tag", "malformed 'tag' parameter, expecting key:value, received: "
                            + t);
                }
                tags.put(t.substring(0, colon), t.substring(colon + 1));
            }
            for (String json : p.getAll("tags")) {
                tags.putAll(jsonMap("tags", json));
            }
            OptionalLong start = micros(p, "start");
            OptionalLong end = micros(p, "end");
            long minDuration = one(p, "minDuration").map(v -> Durations.parseNanos("minDuration", v)).orElse(0L);
            long maxDuration = one(p, "maxDuration").map(v -> Durations.parseNanos("maxDuration", v))
                    .orElse(Long.MAX_VALUE);
            if (maxDuration < minDuration) {
                throw new InvalidQueryException("maxDuration", "'maxDuration' should be greater than 'minDuration'");
            }
            int limit = limit(p, "limit", DEFAULT_LIMIT);
            TraceQuery q = query(Optional.of(service), one(p, "operation"), tags, minDuration, maxDuration,
                    window(start.orElse(0), end.orElse(Long.MAX_VALUE), "end"), limit);
            traces.addAll(queries.searchTraces(q, raw));
        }
        return g -> data(g, traces.size(), () -> {
            g.writeStartArray();
            for (AssembledTrace t : traces) {
                JaegerJsonEncoder.writeTrace(g, t.trace(), t::warnings);
            }
            g.writeEndArray();
        });
    }

    private Body trace(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        String hex = ctx.pathParam("traceId");
        TraceId id = QueryService.parseTraceId(hex == null ? "" : hex);
        Optional<AssembledTrace> t = queries.assembledTrace(id, micros(p, "start"), micros(p, "end"), bool(p, "raw"));
        if (t.isEmpty()) {
            throw new ApiError(HttpStatus.NOT_FOUND, "trace not found");
        }
        return g -> data(g, 1, () -> {
            g.writeStartArray();
            JaegerJsonEncoder.writeTrace(g, t.get().trace(), t.get()::warnings);
            g.writeEndArray();
        });
    }

    private Body deps(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        long endTs = positive(p, "endTs").orElse(nowNanos() / 1_000_000L);
        long lookback = positive(p, "lookback").orElse(DEFAULT_DEPENDENCY_LOOKBACK_MS);
        long end = Math.multiplyExact(endTs, 1_000_000L);
        long start = Math.max(0, end - Math.multiplyExact(Math.min(lookback, endTs), 1_000_000L));
        List<DependencyLink> links = dependencies.dependencies(new TimeWindow(start, end));
        return g -> data(g, links.size(), () -> {
            g.writeStartArray();
            for (DependencyLink l : links) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeStringField("child", l.child());
                g.writeNumberField("callCount", l.callCount());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void data(JsonGenerator g, int total, Body.Inner data) throws IOException {
        g.writeStartObject();
        g.writeFieldName("data");
        data.write();
        g.writeNumberField("total", total);
        g.writeNumberField("limit", 0);
        g.writeNumberField("offset", 0);
        g.writeNullField("errors");
        g.writeEndObject();
    }

    private HttpResponse v1(ServiceRequestContext ctx, Supplier<Body> handler) {
        return run(ctx, handler, (status, message) -> json(status, g -> {
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
        }));
    }

    // ---------------------------------------------------------------- api_v3 over HTTP

    private Body v3Services() {
        List<String> services = queries.services();
        return g -> {
            g.writeStartObject();
            g.writeFieldName("services");
            strings(g, services);
            g.writeEndObject();
        };
    }

    private Body v3Operations(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        String service = v3(p, "service", "service").orElseThrow(() -> new InvalidQueryException("service",
                "service is required"));
        List<Operation> ops = filterKind(queries.operations(service), spanKind(v3(p, "spanKind", "span_kind")));
        return g -> {
            g.writeStartObject();
            g.writeFieldName("operations");
            writeOperations(g, ops);
            g.writeEndObject();
        };
    }

    private Body v3Search(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        Optional<String> service = v3(p, "query.serviceName", "query.service_name");
        Optional<String> operation = v3(p, "query.operationName", "query.operation_name");
        Map<String, String> tags = new LinkedHashMap<>();
        Optional<String> attributes = v3(p, "query.attributes", "query.attributes");
        if (attributes.isPresent()) {
            tags.putAll(jsonMap("query.attributes", attributes.get()));
        }
        long start = rfc3339(p, "query.startTimeMin", "query.start_time_min").orElseThrow(() ->
                new InvalidQueryException("query.start_time_min", "query.start_time_min is required (RFC 3339)"));
        long end = rfc3339(p, "query.startTimeMax", "query.start_time_max").orElseThrow(() ->
                new InvalidQueryException("query.start_time_max", "query.start_time_max is required (RFC 3339)"));
        long minDuration = v3(p, "query.durationMin", "query.duration_min")
                .map(v -> Durations.parseNanos("query.duration_min", v)).orElse(0L);
        long maxDuration = v3(p, "query.durationMax", "query.duration_max")
                .map(v -> Durations.parseNanos("query.duration_max", v)).orElse(Long.MAX_VALUE);
        if (maxDuration < minDuration) {
            throw new InvalidQueryException("query.duration_max", "query.duration_max must not be below "
                    + "query.duration_min");
        }
        Optional<String> depth = v3(p, "query.searchDepth", "query.search_depth")
                .or(() -> v3(p, "query.numTraces", "query.num_traces"));
        int limit = depth.map(d -> parseLimit("query.search_depth", d)).orElse(V3_DEFAULT_LIMIT);
        boolean raw = v3(p, "query.rawTraces", "query.raw_traces").map(v -> parseBool("query.raw_traces", v))
                .orElse(false);
        TraceQuery q = query(service, operation, tags, minDuration, maxDuration,
                window(start, end, "query.start_time_max"), limit);
        List<AssembledTrace> traces = queries.searchTraces(q, raw);
        if (traces.isEmpty()) {
            throw new ApiError(HttpStatus.NOT_FOUND, "No traces found");
        }
        return otlp(traces);
    }

    private Body v3Trace(ServiceRequestContext ctx) {
        QueryParams p = ctx.queryParams();
        String hex = ctx.pathParam("traceId");
        TraceId id = QueryService.parseTraceId(hex == null ? "" : hex);
        OptionalLong start = rfc3339(p, "startTime", "start_time");
        OptionalLong end = rfc3339(p, "endTime", "end_time");
        boolean raw = v3(p, "rawTraces", "raw_traces").map(v -> parseBool("raw_traces", v)).orElse(false);
        Optional<AssembledTrace> t = queries.assembledTrace(id, start, end, raw);
        if (t.isEmpty()) {
            throw new ApiError(HttpStatus.NOT_FOUND, "trace not found");
        }
        return otlp(List.of(t.get()));
    }

    /** {@code {"result":{"resourceSpans":[…]}}}; warnings become a span attribute. */
    private static Body otlp(List<AssembledTrace> traces) {
        List<Span> spans = new ArrayList<>();
        for (AssembledTrace t : traces) {
            for (Span s : t.trace().spans()) {
                List<String> w = t.warnings(s);
                if (w.isEmpty()) {
                    spans.add(s);
                } else {
                    List<Attribute> attrs = new ArrayList<>(s.attributes().asList());
                    attrs.add(new Attribute(WARNINGS_ATTRIBUTE, new AttributeValue.ArrayValue(
                            w.stream().map(AttributeValue::of).toList())));
                    spans.add(s.toBuilder().attributes(new Attributes(attrs)).build());
                }
            }
        }
        byte[] body = OtlpTraceEncoder.encodeJson(spans);
        return g -> {
            g.writeStartObject();
            g.writeFieldName("result");
            g.writeRawValue(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            g.writeEndObject();
        };
    }

    private HttpResponse v3(ServiceRequestContext ctx, Supplier<Body> handler) {
        return run(ctx, handler, (status, message) -> json(status, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("httpCode", status.code());
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    // ---------------------------------------------------------------- shared helpers

    private static TraceQuery query(Optional<String> service, Optional<String> operation, Map<String, String> tags,
                                    long minDuration, long maxDuration, TimeWindow window, int limit) {
        List<TraceQuery.Tag> plain = new ArrayList<>();
        Optional<StatusCode> status = Optional.empty();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            // OTLP keeps failure in the status: Jaeger's error=true and otel.status_code tags search it there
            if (t.getKey().equals("error") && t.getValue().equals("true")) {
                status = Optional.of(StatusCode.ERROR);
            } else if (t.getKey().equals("otel.status_code")) {
                try {
                    status = Optional.of(StatusCode.valueOf(t.getValue().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidQueryException("tags", "otel.status_code must be OK, ERROR or UNSET");
                }
            } else {
                plain.add(new TraceQuery.Tag(t.getKey(), t.getValue()));
            }
        }
        if (service.isPresent() && service.get().isBlank() || operation.isPresent() && operation.get().isBlank()) {
            throw new InvalidQueryException("service", "service and operation must not be empty");
        }
        return new TraceQuery(service, operation, plain, List.of(), status, minDuration, maxDuration, window, limit);
    }

    private static TimeWindow window(long start, long end, String endName) {
        if (end < start) {
            throw new InvalidQueryException(endName, endName + " must not be before the start");
        }
        return new TimeWindow(start, end);
    }

    private static List<Operation> filterKind(List<Operation> ops, Optional<SpanKind> kind) {
        return kind.isEmpty() ? ops : ops.stream().filter(o -> o.kind() == kind.get()).toList();
    }

    private static String kindName(SpanKind k) {
        return k == SpanKind.UNSPECIFIED ? "" : k.name().toLowerCase(Locale.ROOT);
    }

    /** Jaeger's names ({@code server}) and the OTLP enum names ({@code SPAN_KIND_SERVER}). */
    private static Optional<SpanKind> spanKind(Optional<String> v) {
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
            throw new InvalidQueryException("spanKind", "spanKind must be one of server, client, producer, consumer, "
                    + "internal; got '" + v.get() + "'");
        }
    }

    private static Map<String, String> jsonMap(String param, String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidQueryException(param, "malformed '" + param + "' parameter: expected a JSON object "
                        + "of strings");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING && !v.isScalarValue()) {
                    throw new InvalidQueryException(param, "malformed '" + param + "' parameter: the value of '" + key
                            + "' must be a string");
                }
                out.put(key, p.getText());
            }
            if (p.nextToken() != null) {
                throw new InvalidQueryException(param, "malformed '" + param + "' parameter: content after the object");
            }
        } catch (IOException e) {
            throw new InvalidQueryException(param, "malformed '" + param + "' parameter, cannot unmarshal JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        return out;
    }

    private static Optional<String> one(QueryParams p, String name) {
        List<String> all = p.getAll(name);
        if (all.size() > 1) {
            throw new InvalidQueryException(name, "'" + name + "' may be given once");
        }
        return all.isEmpty() || all.get(0).isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** A v3 parameter under its camelCase or its snake_case name (Grafana sends snake_case). */
    private static Optional<String> v3(QueryParams p, String camel, String snake) {
        Optional<String> a = one(p, camel);
        Optional<String> b = camel.equals(snake) ? Optional.empty() : one(p, snake);
        if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
            throw new InvalidQueryException(snake, camel + " and " + snake + " disagree");
        }
        return a.or(() -> b);
    }

    private static boolean bool(QueryParams p, String name) {
        return one(p, name).map(v -> parseBool(name, v)).orElse(false);
    }

    private static boolean parseBool(String name, String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidQueryException(name, "unable to parse param '" + name + "': '" + v
                    + "' is not true or false");
        };
    }

    private static int limit(QueryParams p, String name, int dflt) {
        return one(p, name).map(v -> parseLimit(name, v)).orElse(dflt);
    }

    private static int parseLimit(String name, String v) {
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(name, "unable to parse param '" + name + "': '" + v
                    + "' is not a whole number");
        }
        if (n < 1 || n > TraceQuery.MAX_LIMIT) {
            throw new InvalidQueryException(name, name + " must be between 1 and " + TraceQuery.MAX_LIMIT
                    + ", got " + n);
        }
        return n;
    }

    /** Jaeger's start/end: integer microseconds since the epoch. */
    private static OptionalLong micros(QueryParams p, String name) {
        Optional<String> v = one(p, name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long us = Long.parseLong(v.get().strip());
            if (us < 0) {
                throw new InvalidQueryException(name, "unable to parse param '" + name + "': must not be negative");
            }
            return OptionalLong.of(Math.multiplyExact(us, 1000L));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidQueryException(name, "unable to parse param '" + name + "': '" + v.get()
                    + "' is not microseconds since the epoch");
        }
    }

    private static OptionalLong positive(QueryParams p, String name) {
        Optional<String> v = one(p, name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(v.get().strip());
            if (n <= 0 || n > Long.MAX_VALUE / 1_000_000L) {
                throw new InvalidQueryException(name, "unable to parse param '" + name + "': out of range");
            }
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(name, "unable to parse param '" + name + "': '" + v.get()
                    + "' is not milliseconds");
        }
    }

    private static OptionalLong rfc3339(QueryParams p, String camel, String snake) {
        Optional<String> v = v3(p, camel, snake);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(v.get().strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            long nanos = Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
            if (nanos < 0) {
                throw new InvalidQueryException(snake, snake + " must not be before 1970");
            }
            return OptionalLong.of(nanos);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidQueryException(snake, snake + ": '" + v.get()
                    + "' is not an RFC 3339 time like 2026-11-24T10:15:30.5Z");
        }
    }

    private long nowNanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static void strings(JsonGenerator g, Iterable<String> values) throws IOException {
        g.writeStartArray();
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    interface ErrorRenderer {
        HttpResponse render(HttpStatus status, String message);
    }

    private static HttpResponse run(ServiceRequestContext ctx, Supplier<Body> handler, ErrorRenderer errors) {
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                return json(HttpStatus.OK, handler.get());
            } catch (InvalidQueryException e) {
                return errors.render(HttpStatus.BAD_REQUEST, e.getMessage());
            } catch (ApiError e) {
                return errors.render(e.status, e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Jaeger query {} failed", ctx.path(), e);
                return errors.render(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage());
            }
        }, ctx.blockingTaskExecutor()));
    }

    static HttpResponse json(HttpStatus status, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                HttpData.wrap(out.toByteArray()));
    }
}
