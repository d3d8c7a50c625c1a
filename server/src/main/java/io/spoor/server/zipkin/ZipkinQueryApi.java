package io.spoor.server.zipkin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.cors.CorsService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.pipeline.Admission;
import io.spoor.pipeline.TracesPipeline;
import io.spoor.protocol.zipkin.ZipkinDecodeException;
import io.spoor.protocol.zipkin.ZipkinDecoder;
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
import io.spoor.server.receiver.BodyDecoding;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.OtlpHttpService;
import io.spoor.server.receiver.ReceiverMetrics;
import io.spoor.server.receiver.Transport;
import io.spoor.storage.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zipkin's query API v2 on the Zipkin port (9411), with Zipkin's shapes and status codes; errors are plain text, as
 * Zipkin's are. docs/api.md describes each endpoint and where Spoor differs. Traces and search results are
 * streamed. (The receiver {@code POST /api/v2/spans} still lives here until it moves beside the OTLP receivers.)
 */
public final class ZipkinQueryApi {
    private static final Logger log = LoggerFactory.getLogger(ZipkinQueryApi.class);
    private static final MediaType PROTO3 = MediaType.parse("application/x-protobuf");
    /** Pooled heap buffers for report bodies, so that the JSON parser can read the aggregated body in place. */
    private static final ByteBufAllocator HEAP_BUFFERS = new PooledByteBufAllocator(false);
    /** Zipkin's QUERY_LOOKBACK default: one day, in ms. */
    static final long DEFAULT_LOOKBACK_MS = 86_400_000L;
    static final int DEFAULT_LIMIT = 10;
    /** Keys offered by /api/v2/autocompleteKeys (Zipkin's AUTOCOMPLETE_KEYS): common semantic-convention tags. */
    static final List<String> AUTOCOMPLETE_KEYS = List.of("http.request.method", "http.response.status_code",
            "http.route", "peer.service", "rpc.method", "db.system");
    private static final int AUTOCOMPLETE_SAMPLE = 500;

    private final TracesPipeline pipeline;
    private final ReceiverMetrics metrics;
    private final QueryService queries;
    private final DependencyService dependencies;
    private final QueryCors queryCors;

    public ZipkinQueryApi(TracesPipeline pipeline, ReceiverMetrics metrics, QueryService queries,
                          DependencyService dependencies, QueryCors queryCors) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.queries = queries;
        this.dependencies = dependencies;
        this.queryCors = queryCors;
    }

    public void bind(ServerBuilder sb) {
        var cors = CorsService.builderForAnyOrigin().allowRequestMethods(HttpMethod.GET, HttpMethod.POST)
                .allowRequestHeaders("content-type", "content-encoding").maxAge(3600).newDecorator();
        sb.route().post("/api/v2/spans").decorator(cors).build(this::report);
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

    // ---------------------------------------------------------------- receiver

    private HttpResponse report(ServiceRequestContext ctx, HttpRequest req) {
        MediaType ct = req.contentType();
        boolean proto;
        if (ct == null || ct.subtype().toLowerCase(Locale.ROOT).contains("json")) {
            proto = false;
        } else if (ct.subtype().toLowerCase(Locale.ROOT).contains("protobuf")) {
            proto = true;
        } else {
            return fail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ExportFailure.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported content type '" + ct + "'; use application/json or application/x-protobuf");
        }
        String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        BodyDecoding.Encoding encoding = BodyDecoding.encoding(contentEncoding);
        if (encoding == null) {
            return fail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ExportFailure.Kind.UNSUPPORTED_ENCODING,
                    "unsupported content encoding '" + contentEncoding + "'; use gzip or none");
        }
        // Pooled aggregation into a heap buffer: the body's network buffers are gathered once into one pooled buffer,
        // instead of each being copied to the heap and then all of them again into one ~600 KB array (two copies and
        // two large garbage arrays per report). JSON is parsed straight from the buffer's backing array; the buffer
        // is released once decoded (decoding is synchronous in store()).
        CompletableFuture<HttpResponse> response = req.aggregateWithPooledObjects(ctx.eventLoop(), HEAP_BUFFERS)
                .thenComposeAsync(agg -> {
            try (HttpData content = agg.content()) {
                if (encoding == BodyDecoding.Encoding.IDENTITY && !proto) {
                    int length = content.length();
                    if (length > OtlpHttpService.MAX_BODY_BYTES) {
                        return CompletableFuture.completedFuture(fail(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                                ExportFailure.Kind.TOO_LARGE, BodyDecoding.tooLargeMessage(
                                        OtlpHttpService.MAX_BODY_BYTES)));
                    }
                    ByteBuf buf = content.byteBuf();
                    if (buf.hasArray()) {
                        byte[] array = buf.array();
                        int offset = buf.arrayOffset() + buf.readerIndex();
                        return store(length, () -> ZipkinDecoder.decodeJson(array, offset, length));
                    }
                    byte[] copy = content.array();
                    return store(length, () -> ZipkinDecoder.decodeJson(copy));
                }
                byte[] wire = content.isEmpty() ? new byte[0] : content.array();
                byte[] body;
                try {
                    body = BodyDecoding.decode(wire, encoding, OtlpHttpService.MAX_BODY_BYTES);
                } catch (BodyDecoding.BodyException e) {
                    HttpStatus status = e.failure.kind() == ExportFailure.Kind.TOO_LARGE
                            ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST;
                    return CompletableFuture.completedFuture(fail(status, e.failure.kind(), e.getMessage()));
                }
                return store(body.length, () -> proto ? ZipkinDecoder.decodeProto3(body)
                        : ZipkinDecoder.decodeJson(body));
            }
        }, ctx.blockingTaskExecutor()).exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof com.linecorp.armeria.common.ContentTooLargeException) {
                return fail(HttpStatus.REQUEST_ENTITY_TOO_LARGE, ExportFailure.Kind.TOO_LARGE,
                        BodyDecoding.tooLargeMessage(OtlpHttpService.MAX_BODY_BYTES));
            }
            log.warn("a Zipkin report failed", cause);
            return fail(HttpStatus.INTERNAL_SERVER_ERROR, ExportFailure.Kind.INTERNAL, "internal error: " + cause);
        });
        return HttpResponse.of(response);
    }

    /** Admits {@code bodyBytes}, decodes (synchronously: the body may be released right after), submits. */
    private CompletableFuture<HttpResponse> store(int bodyBytes, Supplier<List<Span>> decoder) {
        if (bodyBytes == 0) {
            return CompletableFuture.completedFuture(HttpResponse.of(HttpStatus.ACCEPTED));
        }
        Admission admission = pipeline.admit(bodyBytes);
        if (admission instanceof Admission.Refused refused) {
            metrics.failedRequest(Transport.ZIPKIN, ExportFailure.Kind.REFUSED);
            metrics.refused(Transport.ZIPKIN, refused.reason().tag(), 0);
            long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
            return CompletableFuture.completedFuture(HttpResponse.of(ResponseHeaders.builder(
                    HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.PLAIN_TEXT_UTF_8)
                    .setLong(HttpHeaderNames.RETRY_AFTER, seconds).build(), HttpData.ofUtf8(refused.message())));
        }
        Admission.Admitted admitted = (Admission.Admitted) admission;
        List<Span> spans;
        try {
            spans = decoder.get();
        } catch (ZipkinDecodeException e) {
            admitted.cancel();
            return CompletableFuture.completedFuture(fail(HttpStatus.BAD_REQUEST, ExportFailure.Kind.MALFORMED,
                    e.getMessage()));
        } catch (RuntimeException e) {
            admitted.cancel();
            throw e;
        }
        if (spans.isEmpty()) {
            admitted.cancel();
            return CompletableFuture.completedFuture(HttpResponse.of(HttpStatus.ACCEPTED));
        }
        int n = spans.size();
        return admitted.submit(spans).handle((ok, error) -> {
            if (error != null) {
                metrics.refused(Transport.ZIPKIN, "storage_error", n);
                return fail(HttpStatus.SERVICE_UNAVAILABLE, ExportFailure.Kind.STORAGE_FAILED,
                        "spans could not be stored, retry later: " + error.getMessage());
            }
            metrics.accepted(Transport.ZIPKIN, n);
            return HttpResponse.of(HttpStatus.ACCEPTED);
        });
    }

    private HttpResponse fail(HttpStatus status, ExportFailure.Kind kind, String message) {
        metrics.failedRequest(Transport.ZIPKIN, kind);
        return text(status, message);
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
