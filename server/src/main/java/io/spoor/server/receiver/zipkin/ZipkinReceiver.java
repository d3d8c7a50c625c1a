package io.spoor.server.receiver.zipkin;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.cors.CorsService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.spoor.server.receiver.BodyDecoding;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ExportResult;
import io.spoor.server.receiver.RequestBody;
import io.spoor.server.receiver.SpanDecoder;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.Transport;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zipkin's receiver, {@code POST /api/v2/spans} on the Zipkin port (9411): JSON or proto3, gzip or not, answered
 * 202 once the spans are durable. The Zipkin query API on the same port is {@code ZipkinApi}'s.
 */
public final class ZipkinReceiver {
    private static final Logger log = LoggerFactory.getLogger(ZipkinReceiver.class);
    /** Pooled heap buffers for report bodies, so that the JSON parser can read the aggregated body in place. */
    private static final ByteBufAllocator HEAP_BUFFERS = new PooledByteBufAllocator(false);

    private final SpanReceiver receiver;
    private final int maxBodyBytes;

    public ZipkinReceiver(SpanReceiver receiver, int maxBodyBytes) {
        this.receiver = receiver;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void bind(ServerBuilder sb) {
        var cors = CorsService.builderForAnyOrigin().allowRequestMethods(HttpMethod.POST)
                .allowRequestHeaders("content-type", "content-encoding").maxAge(3600).newDecorator();
        sb.route().post("/api/v2/spans").decorator(cors).build(this::report);
    }

    private HttpResponse report(ServiceRequestContext ctx, HttpRequest req) {
        MediaType ct = req.contentType();
        SpanDecoder decoder;
        if (ct == null || ct.subtype().toLowerCase(Locale.ROOT).contains("json")) {
            decoder = ZipkinDecoders.JSON;
        } else if (ct.subtype().toLowerCase(Locale.ROOT).contains("protobuf")) {
            decoder = ZipkinDecoders.PROTO3;
        } else {
            return fail(ExportFailure.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported content type '" + ct + "'; use application/json or application/x-protobuf");
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
        // array, and the buffer goes back to the pool once decoded.
        CompletableFuture<HttpResponse> response = req.aggregateWithPooledObjects(ctx.eventLoop(), HEAP_BUFFERS)
                .thenComposeAsync(agg -> receive(agg.content(), encoding, decoder), ctx.blockingTaskExecutor())
                .exceptionally(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof ContentTooLargeException) {
                        return fail(ExportFailure.Kind.TOO_LARGE, BodyDecoding.tooLargeMessage(maxBodyBytes));
                    }
                    log.warn("a Zipkin report failed", cause);
                    return fail(ExportFailure.Kind.INTERNAL, "internal error: " + cause);
                });
        return HttpResponse.of(response);
    }

    /** Runs on the blocking executor: decoding is inline here, whatever the size. */
    private CompletableFuture<HttpResponse> receive(HttpData content, BodyDecoding.Encoding encoding,
                                                    SpanDecoder decoder) {
        RequestBody body;
        if (encoding == BodyDecoding.Encoding.IDENTITY) {
            int length = content.length();
            if (length > maxBodyBytes) {
                content.close();
                return CompletableFuture.completedFuture(fail(ExportFailure.Kind.TOO_LARGE,
                        BodyDecoding.tooLargeMessage(maxBodyBytes)));
            }
            ByteBuf buf = content.byteBuf();
            if (buf.hasArray()) {
                body = new RequestBody(buf.array(), buf.arrayOffset() + buf.readerIndex(), length, content::close);
            } else {
                byte[] copy = content.array();
                content.close();
                body = RequestBody.of(copy);
            }
        } else {
            byte[] wire;
            try (content) {
                wire = content.isEmpty() ? new byte[0] : content.array();
            }
            try {
                body = RequestBody.of(BodyDecoding.decode(wire, encoding, maxBodyBytes));
            } catch (BodyDecoding.BodyException e) {
                return CompletableFuture.completedFuture(render(receiver.fail(Transport.ZIPKIN, e.failure)));
            }
        }
        return receiver.receive(Transport.ZIPKIN, decoder, body, Runnable::run).thenApply(ZipkinReceiver::render);
    }

    private static HttpResponse render(ExportResult result) {
        return switch (result) {
            case ExportResult.Accepted a -> HttpResponse.of(HttpStatus.ACCEPTED);
            case ExportResult.Failed f -> ZipkinErrors.toResponse(f.failure());
        };
    }

    private HttpResponse fail(ExportFailure.Kind kind, String message) {
        return render(receiver.fail(Transport.ZIPKIN, ExportFailure.of(kind, message)));
    }
}
