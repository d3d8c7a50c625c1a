package io.spoor.server.receiver;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.FilteredHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import io.netty.buffer.ByteBuf;
import io.netty.util.AttributeKey;
import io.spoor.pipeline.Admission;
import io.spoor.pipeline.TracesPipeline;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.reactivestreams.Subscriber;

/**
 * Admission for request bodies as they arrive, in front of every receiver: memory is reserved from the pipeline's
 * memory limiter before the body is read (the whole {@code Content-Length} at once, or a gRPC message's length from
 * its 5-byte prefix) and grown as bytes arrive beyond that, so that a refusal comes as soon as the limiter says no
 * and the rest of the body is never buffered (HTTP/1 discards it, HTTP/2 resets the stream after the answer). A
 * body that stops arriving for {@code bodyReadTimeout} ends with a timeout and its connection is closed.
 *
 * <p>The reservation travels with the request ({@link #reservation}) to the receiver core, which submits the decoded
 * spans under it, so the same bytes are not counted twice; whatever ends the request otherwise releases it.
 * Failures reach the transport as a {@link BodyRejectedException} from the body stream, which it renders.
 */
public final class BodyAdmission extends SimpleDecoratingHttpService {
    private static final AttributeKey<BodyReservation> RESERVATION =
            AttributeKey.valueOf(BodyAdmission.class, "reservation");
    private static final int GRPC_PREFIX = 5;

    private final TracesPipeline pipeline;
    private final long timeoutNanos;
    /** The largest gRPC message for a gRPC service, 0 for plain HTTP bodies. */
    private final int grpcMaxMessageBytes;

    private BodyAdmission(HttpService delegate, TracesPipeline pipeline, Duration bodyReadTimeout,
                          int grpcMaxMessageBytes) {
        super(delegate);
        this.pipeline = pipeline;
        this.timeoutNanos = bodyReadTimeout.toNanos();
        this.grpcMaxMessageBytes = grpcMaxMessageBytes;
    }

    /** For HTTP receivers (OTLP/HTTP, Zipkin). */
    public static Function<? super HttpService, BodyAdmission> http(TracesPipeline pipeline, Duration bodyReadTimeout) {
        return delegate -> new BodyAdmission(delegate, pipeline, bodyReadTimeout, 0);
    }

    /** For a unary gRPC service: reserves a message's announced length at its first bytes, refuses one too large. */
    public static Function<? super HttpService, BodyAdmission> grpc(TracesPipeline pipeline, Duration bodyReadTimeout,
                                                                    int maxMessageBytes) {
        return delegate -> new BodyAdmission(delegate, pipeline, bodyReadTimeout, maxMessageBytes);
    }

    /** The request's reservation, or a fresh one when the request did not come through this decorator. */
    public static BodyReservation reservation(ServiceRequestContext ctx, SpanReceiver receiver) {
        BodyReservation r = ctx != null ? ctx.attr(RESERVATION) : null;
        return r != null ? r : receiver.newReservation();
    }

    /** Releases the request's reservation now (a body read and answered without storing anything). */
    public static void release(ServiceRequestContext ctx) {
        BodyReservation r = ctx != null ? ctx.attr(RESERVATION) : null;
        if (r != null) {
            r.cancel();
        }
    }

    /**
     * The body streams through, whatever the service declares: Armeria gathers a unary service's request whole before
     * handing it on, which is exactly the buffering this decorator exists to bound.
     */
    @Override
    public ExchangeType exchangeType(RoutingContext routingContext) {
        ExchangeType delegated = ((HttpService) unwrap()).exchangeType(routingContext);
        return delegated.isResponseStreaming() ? ExchangeType.BIDI_STREAMING : ExchangeType.REQUEST_STREAMING;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        BodyReservation reservation = new BodyReservation(pipeline);
        ctx.setAttr(RESERVATION, reservation);
        WatchedBody body = new WatchedBody(ctx, req, reservation);
        // Whatever ends the request (answered, reset, failed before the receiver saw it) releases what it held,
        // unless its spans were submitted: then storing them releases it.
        ctx.log().whenComplete().thenRun(() -> {
            body.stopTimer();
            reservation.cancel();
        });
        long announced = req.headers().contentLength();
        long max = ctx.maxRequestLength();
        if (announced > 0 && (max <= 0 || announced <= max)) {
            Admission.Refused refused = reservation.reserveTotal(announced);
            if (refused != null) {
                body.stopTimer();
                req.abort(new BodyRejectedException(refusal(refused)));
                return unwrap().serve(ctx, req);
            }
        }
        return unwrap().serve(ctx, body);
    }

    static ExportFailure refusal(Admission.Refused refused) {
        return new ExportFailure(ExportFailure.Kind.REFUSED, refused.message(), refused.retryAfter());
    }

    /** The body as the receiver reads it: counted, reserved and timed as it passes. */
    private final class WatchedBody extends FilteredHttpRequest implements Runnable {
        private final ServiceRequestContext ctx;
        private final HttpRequest upstream;
        private final BodyReservation reservation;
        private long received;
        private volatile long lastArrivalNanos = System.nanoTime();
        private volatile ScheduledFuture<?> timer;
        private int prefixBytes;
        private boolean compressed;
        private long messageLength;

        WatchedBody(ServiceRequestContext ctx, HttpRequest upstream, BodyReservation reservation) {
            super(upstream, true); // sees pooled buffers as they are: it only counts them
            this.ctx = ctx;
            this.upstream = upstream;
            this.reservation = reservation;
            timer = ctx.eventLoop().schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        protected HttpObject filter(HttpObject obj) {
            if (obj instanceof HttpData data && !data.isEmpty()) {
                lastArrivalNanos = System.nanoTime();
                received += data.length();
                ExportFailure failure = grpcMaxMessageBytes > 0 && prefixBytes < GRPC_PREFIX ? readPrefix(data) : null;
                if (failure == null && received > reservation.reserved()) {
                    Admission.Refused refused = reservation.reserveTotal(received);
                    if (refused != null) {
                        failure = refusal(refused);
                    }
                }
                if (failure != null) {
                    stopTimer();
                    data.close(); // a pooled buffer that goes no further
                    throw new BodyRejectedException(failure);
                }
            }
            return obj;
        }

        /** gRPC's length-prefixed message: reserve what it announces, or refuse it unread when it is over the limit. */
        private ExportFailure readPrefix(HttpData data) {
            ByteBuf buf = data.byteBuf();
            int index = buf.readerIndex();
            int end = buf.writerIndex();
            while (prefixBytes < GRPC_PREFIX && index < end) {
                int b = buf.getByte(index++) & 0xff;
                if (prefixBytes == 0) {
                    compressed = b != 0;
                } else {
                    messageLength = messageLength << 8 | b;
                }
                prefixBytes++;
            }
            if (prefixBytes < GRPC_PREFIX) {
                return null;
            }
            if (!compressed && messageLength > grpcMaxMessageBytes) {
                return ExportFailure.of(ExportFailure.Kind.TOO_LARGE, "gRPC message of " + messageLength
                        + " bytes exceeds the limit of " + grpcMaxMessageBytes + " bytes");
            }
            long max = ctx.maxRequestLength();
            long announced = GRPC_PREFIX + messageLength;
            Admission.Refused refused = reservation.reserveTotal(max > 0 ? Math.min(announced, max) : announced);
            return refused != null ? refusal(refused) : null;
        }

        @Override
        protected void beforeComplete(Subscriber<? super HttpObject> subscriber) {
            stopTimer();
        }

        @Override
        protected Throwable beforeError(Subscriber<? super HttpObject> subscriber, Throwable cause) {
            stopTimer();
            return cause;
        }

        @Override
        protected void onCancellation(Subscriber<? super HttpObject> subscriber) {
            stopTimer();
        }

        void stopTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                timer = null;
                t.cancel(false);
            }
        }

        /** The read timer, on the event loop: idle for the whole timeout → end the body and the connection. */
        @Override
        public void run() {
            if (timer == null || upstream.whenComplete().isDone()) {
                return;
            }
            long idle = System.nanoTime() - lastArrivalNanos;
            if (idle < timeoutNanos) {
                timer = ctx.eventLoop().schedule(this, timeoutNanos - idle, TimeUnit.NANOSECONDS);
                return;
            }
            timer = null;
            // The connection is mid-request in an unknown state: answer, then close it.
            ctx.initiateConnectionShutdown();
            upstream.abort(new BodyRejectedException(ExportFailure.of(ExportFailure.Kind.TIMEOUT,
                    "the request body stopped arriving: no bytes for "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")));
        }
    }
}
