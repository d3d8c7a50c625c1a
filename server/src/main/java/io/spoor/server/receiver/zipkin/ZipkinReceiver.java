package io.spoor.server.receiver.zipkin;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.BodyDecoding;
import io.spoor.server.receiver.BodyRejectedException;
import io.spoor.server.receiver.BodyReservation;
import io.spoor.server.receiver.CrossOrigin;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ExportResult;
import io.spoor.server.receiver.RequestBody;
import io.spoor.server.receiver.SpanDecoder;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.Transport;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Zipkin's receiver, {@code POST /api/v2/spans} on the Zipkin port (9411): JSON or proto3, gzip or not, answered
 * 202 once the spans are durable. The Zipkin query API on the same port is {@code ZipkinQueryApi}'s.
 */
public final class ZipkinReceiver {
    /** Pooled heap buffers for report bodies, so that the JSON parser can read the aggregated body in place. */
    private static final ByteBufAllocator HEAP_BUFFERS = new PooledByteBufAllocator(false);

    static final String PATH = "/api/v2/spans";
    static final String CORS_SETTING = "receivers.zipkin.cors.allowed_origins";

    private final SpanReceiver receiver;
    private final int maxBodyBytes;
    private final List<String> allowedOrigins;

    public ZipkinReceiver(SpanReceiver receiver, int maxBodyBytes, List<String> allowedOrigins) {
        this.receiver = receiver;
        this.maxBodyBytes = maxBodyBytes;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * {@code admission} reads the body under the memory limiter ({@link BodyAdmission}); CORS preflights are answered
     * only for the allowed origins.
     */
    public void bind(ServerBuilder sb, Function<? super HttpService, ? extends HttpService> admission) {
        sb.route().post(PATH).decorator(admission).decorator(CrossOrigin.preflights(allowedOrigins))
                .build(this::report);
        sb.errorHandler(new ZipkinProtocolErrors(maxBodyBytes));
    }

    private HttpResponse report(ServiceRequestContext ctx, HttpRequest req) {
        if (!CrossOrigin.allowed(req.headers(), allowedOrigins)) {
            return render(receiver.fail(Transport.ZIPKIN, CrossOrigin.forbidden(req.headers(), CORS_SETTING)));
        }
        MediaType ct = req.contentType();
        SpanDecoder decoder = decoder(ct);
        if (decoder == null) {
            // Requiring the type also keeps web pages out: a browser posts text/plain or a form without a preflight,
            // and application/json only after one, which no origin passes unless it is allowed.
            return fail(ExportFailure.Kind.UNSUPPORTED_MEDIA_TYPE, (ct == null ? "missing content type"
                    : "unsupported content type '" + ct + "'") + "; use application/json or application/x-protobuf");
        }
        String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        BodyDecoding.Encoding encoding = BodyDecoding.encoding(contentEncoding);
        if (encoding == null) {
            return fail(ExportFailure.Kind.UNSUPPORTED_ENCODING,
                    "unsupported content encoding '" + contentEncoding + "'; use gzip or none");
        }
        // Pooled aggregation into a heap buffer: the body's network buffers are gathered once into one pooled buffer,
        // instead of each being copied to the heap and then all of them again into one ~600 KB array (two copies and
        // two large garbage arrays per report). An uncompressed body is decoded straight from the buffer's backing
        // array (a gzip body inflated from it), and the buffer goes back to the pool once decoded.
        BodyReservation reservation = BodyAdmission.reservation(ctx, receiver);
        CompletableFuture<HttpResponse> response = req.aggregateWithPooledObjects(ctx.eventLoop(), HEAP_BUFFERS)
                .thenComposeAsync(agg -> receive(agg.content(), encoding, decoder, reservation),
                        ctx.blockingTaskExecutor())
                .exceptionally(error -> {
                    reservation.cancel();
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof BodyRejectedException rejected) {
                        return render(receiver.fail(Transport.ZIPKIN, rejected.failure()));
                    }
                    if (cause instanceof ContentTooLargeException) {
                        return fail(ExportFailure.Kind.TOO_LARGE, BodyDecoding.tooLargeMessage(maxBodyBytes));
                    }
                    return fail(ExportFailure.Kind.INTERNAL, receiver.errors().report("internal error", cause));
                });
        return HttpResponse.of(response);
    }

    /** Runs on the blocking executor: decoding is inline here, whatever the size. */
    private CompletableFuture<HttpResponse> receive(HttpData content, BodyDecoding.Encoding encoding,
                                                    SpanDecoder decoder, BodyReservation reservation) {
        RequestBody wire;
        ByteBuf buf = content.byteBuf();
        if (buf.hasArray()) {
            wire = new RequestBody(buf.array(), buf.arrayOffset() + buf.readerIndex(), content.length(),
                    content::close);
        } else {
            byte[] copy = content.array();
            content.close();
            wire = RequestBody.of(copy);
        }
        RequestBody body;
        try {
            body = BodyDecoding.decode(wire, encoding, maxBodyBytes, reservation);
        } catch (BodyDecoding.BodyException e) {
            reservation.cancel();
            return CompletableFuture.completedFuture(render(receiver.fail(Transport.ZIPKIN, e.failure)));
        }
        return receiver.receive(Transport.ZIPKIN, decoder, body, reservation, Runnable::run)
                .thenApply(ZipkinReceiver::render);
    }

    /** JSON ({@code application/json}) or proto3 ({@code application/x-protobuf}); null for anything else. */
    static SpanDecoder decoder(MediaType ct) {
        if (ct == null || !ct.type().equalsIgnoreCase("application")) {
            return null;
        }
        return switch (ct.subtype().toLowerCase(Locale.ROOT)) {
            case "json" -> ZipkinDecoders.JSON;
            case "x-protobuf", "protobuf" -> ZipkinDecoders.PROTO3;
            default -> null;
        };
    }

    private static HttpResponse render(ExportResult result) {
        return switch (result) {
            // Zipkin has no partial success: what spoor.limits refused or cut is said in the 202's text body
            // (Zipkin's reporters ignore it; people and the metrics see it)
            case ExportResult.Accepted a -> a.message().isEmpty() ? HttpResponse.of(HttpStatus.ACCEPTED)
                    : HttpResponse.of(HttpStatus.ACCEPTED, MediaType.PLAIN_TEXT_UTF_8, a.message());
            case ExportResult.Failed f -> ZipkinErrors.toResponse(f.failure());
        };
    }

    private HttpResponse fail(ExportFailure.Kind kind, String message) {
        return render(receiver.fail(Transport.ZIPKIN, ExportFailure.of(kind, message)));
    }
}
