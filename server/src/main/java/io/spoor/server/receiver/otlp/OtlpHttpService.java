package io.spoor.server.receiver.otlp;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.BodyDecoding;
import io.spoor.server.receiver.BodyRejectedException;
import io.spoor.server.receiver.BodyReservation;
import io.spoor.server.receiver.CrossOrigin;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ExportResult;
import io.spoor.server.receiver.RequestBody;
import io.spoor.server.receiver.Signal;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.Transport;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * OTLP/HTTP: {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs} with protobuf or JSON bodies, gzip or
 * uncompressed. The response uses the request's encoding. Nothing here blocks the event loop: gzip bodies and
 * large bodies are decompressed and decoded on the blocking executor, and the response is written when storage
 * completes the export.
 */
public final class OtlpHttpService implements HttpService {
    /** The OTLP specification's recommended limit, applied after decompression. */
    public static final int MAX_BODY_BYTES = 20 * 1024 * 1024;
    static final String CORS_SETTING = "receivers.otlp.protocols.http.cors.allowed_origins";

    private final Signal signal;
    private final SpanReceiver receiver;
    private final UnstoredSignals unstored;
    private final int maxBodyBytes;
    private final List<String> allowedOrigins;

    public OtlpHttpService(Signal signal, SpanReceiver receiver, int maxBodyBytes, List<String> allowedOrigins) {
        this.signal = signal;
        this.receiver = receiver;
        this.unstored = new UnstoredSignals(receiver.metrics());
        this.maxBodyBytes = maxBodyBytes;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** No browser origin allowed. */
    public OtlpHttpService(Signal signal, SpanReceiver receiver, int maxBodyBytes) {
        this(signal, receiver, maxBodyBytes, List.of());
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        WireFormat format = wireFormat(req.contentType());
        WireFormat errorFormat = format == null ? WireFormat.PROTOBUF : format;
        if (!CrossOrigin.allowed(req.headers(), allowedOrigins)) {
            return failed(CrossOrigin.forbidden(req.headers(), CORS_SETTING), errorFormat);
        }
        if (req.method() != HttpMethod.POST) {
            return reject(ExportFailure.Kind.METHOD_NOT_ALLOWED, "method " + req.method() + " is not allowed on "
                    + ctx.path() + "; OTLP exports are sent with POST", errorFormat);
        }
        if (format == null) {
            MediaType ct = req.contentType();
            return reject(ExportFailure.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported content type '"
                    + (ct == null ? "" : ct.toString()) + "'; use application/x-protobuf or application/json",
                    errorFormat);
        }
        String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        BodyDecoding.Encoding encoding = BodyDecoding.encoding(contentEncoding);
        if (encoding == null) {
            return reject(ExportFailure.Kind.UNSUPPORTED_ENCODING, "unsupported content encoding '"
                    + contentEncoding + "'; use gzip or no Content-Encoding", format);
        }
        Executor blocking = ctx.blockingTaskExecutor();
        BodyReservation reservation = BodyAdmission.reservation(ctx, receiver);
        CompletableFuture<HttpResponse> response = req.aggregate().thenCompose(agg -> {
            byte[] wire = wireBytes(agg);
            if (encoding == BodyDecoding.Encoding.IDENTITY && wire.length <= SpanReceiver.INLINE_DECODE_LIMIT) {
                return handle(wire, encoding, format, reservation);
            }
            // gzip and large bodies: decompress and decode off the event loop
            return CompletableFuture.supplyAsync(() -> handle(wire, encoding, format, reservation),
                    blocking).thenCompose(f -> f);
        }).exceptionally(error -> {
            reservation.cancel();
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof BodyRejectedException rejected) {
                return failed(rejected.failure(), format);
            }
            if (cause instanceof ContentTooLargeException) {
                return failed(ExportFailure.of(ExportFailure.Kind.TOO_LARGE,
                        BodyDecoding.tooLargeMessage(maxBodyBytes)), format);
            }
            return failed(ExportFailure.of(ExportFailure.Kind.INTERNAL,
                    receiver.errors().report("internal error", cause)), format);
        });
        return HttpResponse.of(response);
    }

    private CompletableFuture<HttpResponse> handle(byte[] wire, BodyDecoding.Encoding encoding, WireFormat format,
                                                   BodyReservation reservation) {
        RequestBody body;
        try {
            body = BodyDecoding.decode(RequestBody.of(wire), encoding, maxBodyBytes, reservation);
        } catch (BodyDecoding.BodyException e) {
            reservation.cancel();
            return CompletableFuture.completedFuture(failed(e.failure, format));
        }
        if (signal != Signal.TRACES) {
            ExportResult result = unstored.export(Transport.HTTP, signal, format, body);
            reservation.cancel();
            return CompletableFuture.completedFuture(render(result, format));
        }
        // Large or compressed bodies are already off the event loop here, so decoding runs inline either way.
        return receiver.receive(Transport.HTTP, OtlpDecoders.of(format), body, reservation, Runnable::run)
                .thenApply(r -> render(r, format));
    }

    private static byte[] wireBytes(AggregatedHttpRequest agg) {
        HttpData content = agg.content();
        return content.isEmpty() ? new byte[0] : content.array();
    }

    private HttpResponse render(ExportResult result, WireFormat format) {
        return switch (result) {
            case ExportResult.Failed f -> OtlpHttpErrors.toResponse(f.failure(), format);
            case ExportResult.Accepted a -> {
                if (format == WireFormat.JSON) {
                    yield HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
                            MediaType.JSON), HttpData.wrap(OtlpResponses.responseJson(a)));
                }
                yield HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
                        OtlpHttpErrors.PROTOBUF), HttpData.wrap(OtlpResponses.response(a).toByteArray()));
            }
        };
    }

    private HttpResponse reject(ExportFailure.Kind kind, String message, WireFormat format) {
        return failed(ExportFailure.of(kind, message), format);
    }

    private HttpResponse failed(ExportFailure failure, WireFormat format) {
        receiver.fail(Transport.HTTP, failure);
        return OtlpHttpErrors.toResponse(failure, format);
    }

    /** Protobuf or JSON by type/subtype; parameters such as {@code charset} are allowed. Null otherwise. */
    static WireFormat wireFormat(MediaType ct) {
        if (ct == null) {
            return null;
        }
        String type = ct.type().toLowerCase(Locale.ROOT);
        String sub = ct.subtype().toLowerCase(Locale.ROOT);
        if (!type.equals("application")) {
            return null;
        }
        return switch (sub) {
            case "x-protobuf", "protobuf" -> WireFormat.PROTOBUF;
            case "json" -> WireFormat.JSON;
            default -> null;
        };
    }
}
