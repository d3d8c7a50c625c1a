package io.spoor.bench.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replays pre-encoded batches in a closed loop: {@code connections × inFlight} lanes, each sending the
 * next request only when its previous one has completed. Every connection is its own
 * {@link ClientFactory} (its own connection pool) on one shared event-loop group, so N connections
 * really are N TCP connections.
 */
final class LoadRunner {

    static final String GRPC_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    static final String HTTP_PATH = "/v1/traces";
    static final String ZIPKIN_PATH = "/api/v2/spans";

    private final LoadOptions options;
    private final List<PreEncodedBatch> pool;
    private final int maxLength;

    LoadRunner(LoadOptions options, List<PreEncodedBatch> pool) {
        this.options = options;
        this.pool = pool;
        this.maxLength = pool.stream().mapToInt(PreEncodedBatch::length).max().orElseThrow();
    }

    /**
     * Runs warmup + measurement and returns once every lane has stopped (or the request timeout has passed
     * after the end of the window).
     */
    Recorder run(long warmupNanos, long durationNanos, Runnable atWindowStart, Runnable atWindowEnd)
            throws InterruptedException {
        boolean grpc = options.protocol() == LoadOptions.Protocol.GRPC;
        SessionProtocol sessionProtocol = grpc ? SessionProtocol.H2C : SessionProtocol.H1C;
        RequestHeaders headers = grpc
                ? RequestHeaders.builder(HttpMethod.POST, GRPC_PATH)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                        .set(HttpHeaderNames.TE, "trailers")
                        .set(HttpHeaderNames.USER_AGENT, "spoor-bench-load")
                        .build()
                : options.protocol() == LoadOptions.Protocol.ZIPKIN
                ? RequestHeaders.builder(HttpMethod.POST, ZIPKIN_PATH)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .set(HttpHeaderNames.USER_AGENT, "spoor-bench-load")
                        .build()
                : RequestHeaders.builder(HttpMethod.POST, HTTP_PATH)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf")
                        .set(HttpHeaderNames.USER_AGENT, "spoor-bench-load")
                        .build();

        EventLoopGroup group = EventLoopGroups.newEventLoopGroup(options.eventLoops(), "spoor-bench-load", true);
        List<ClientFactory> factories = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        long start = System.nanoTime();
        long windowStart = start + warmupNanos;
        long stopAt = windowStart + durationNanos;
        Recorder recorder = new Recorder(windowStart, stopAt);
        CountDownLatch done = new CountDownLatch(options.connections() * options.inFlight());
        AtomicInteger laneIds = new AtomicInteger();
        try {
            for (int c = 0; c < options.connections(); c++) {
                ClientFactory factory = ClientFactory.builder()
                        .workerGroup(group, false)
                        .idleTimeout(Duration.ofMinutes(5))
                        .build();
                factories.add(factory);
                WebClient client = WebClient.builder(sessionProtocol, com.linecorp.armeria.client.Endpoint.of(options.host(), options.port()))
                        .factory(factory)
                        .responseTimeout(options.requestTimeout())
                        .writeTimeout(options.requestTimeout())
                        .maxResponseLength(16 * 1024 * 1024)
                        .build();
                EventLoop loop = group.next();
                for (int k = 0; k < options.inFlight(); k++) {
                    int id = laneIds.getAndIncrement();
                    lanes.add(new Lane(id, client, loop, headers, grpc, recorder, stopAt, done,
                            new SplittableRandom(options.seed() * 1_000_003L + id)));
                }
            }
            for (Lane lane : lanes) {
                lane.loop.execute(lane::sendNext);
            }
            sleepUntil(windowStart);
            atWindowStart.run();
            sleepUntil(stopAt);
            atWindowEnd.run();
            long waitNanos = stopAt - System.nanoTime() + options.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            done.await(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
            return recorder;
        } finally {
            for (ClientFactory f : factories) {
                f.closeAsync();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** One closed-loop request slot: patch, send, wait, record, repeat. */
    private final class Lane {
        final WebClient client;
        final EventLoop loop;
        final RequestHeaders headers;
        final boolean grpc;
        final Recorder recorder;
        final long stopAt;
        final CountDownLatch done;
        final SplittableRandom random;
        /**
         * Direct buffers the batches are patched into (no heap-to-direct copy on write). Each send hands a
         * retained duplicate to Armeria, which releases it once written; a buffer is only rewritten when
         * nothing but this lane holds it ({@code refCnt() == 1}), else another one is allocated.
         */
        final List<ByteBuf> buffers = new ArrayList<>(List.of(newBuffer(), newBuffer()));
        int next;
        int sends;

        Lane(int id, WebClient client, EventLoop loop, RequestHeaders headers, boolean grpc, Recorder recorder,
             long stopAt, CountDownLatch done, SplittableRandom random) {
            this.client = client;
            this.loop = loop;
            this.headers = headers;
            this.grpc = grpc;
            this.recorder = recorder;
            this.stopAt = stopAt;
            this.done = done;
            this.random = random;
            this.next = (id * 7) % pool.size();
        }

        void sendNext() {
            if (System.nanoTime() >= stopAt) {
                release();
                done.countDown();
                return;
            }
            PreEncodedBatch batch = pool.get(next);
            next = next + 1 == pool.size() ? 0 : next + 1;
            ByteBuf buf = freeBuffer();
            int len = batch.copyInto(buf, random, System.currentTimeMillis() * 1_000_000L);
            int spans = batch.spanCount();
            long t0 = System.nanoTime();
            HttpRequest request = HttpRequest.of(headers, HttpData.wrap(buf.retainedDuplicate()));
            client.execute(request).aggregate().handle((res, err) -> {
                long t1 = System.nanoTime();
                classify(t0, t1, res, err, spans, len);
                if (err != null) {
                    // back off a little on transport errors so a dead server is not spun against
                    loop.schedule(this::sendNext, 20, TimeUnit.MILLISECONDS);
                } else {
                    loop.execute(this::sendNext);
                }
                return null;
            });
        }

        private ByteBuf freeBuffer() {
            for (int i = 0; i < buffers.size(); i++) {
                ByteBuf b = buffers.get((sends + i) % buffers.size());
                if (b.refCnt() == 1) {
                    sends++;
                    return b;
                }
            }
            ByteBuf b = newBuffer();
            buffers.add(b);
            return b;
        }

        void release() {
            buffers.forEach(ByteBuf::release);
        }

        private void classify(long t0, long t1, AggregatedHttpResponse res, Throwable err, int spans, int len) {
            if (err != null) {
                Throwable cause = err.getCause() != null && err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                recorder.record(t0, t1, Recorder.Outcome.ERROR, spans, len, cause.getClass().getSimpleName());
                return;
            }
            int status = res.status().code();
            if (grpc) {
                String grpcStatus = grpcStatus(res.trailers());
                if (grpcStatus == null) {
                    grpcStatus = grpcStatus(res.headers());
                }
                if (status != 200 || grpcStatus == null) {
                    recorder.record(t0, t1, Recorder.Outcome.ERROR, spans, len, "http " + status + " grpc-status " + grpcStatus);
                } else if (grpcStatus.equals("0")) {
                    recorder.record(t0, t1, Recorder.Outcome.OK, spans, len, rejectedSpans(res.content(), true));
                } else if (grpcStatus.equals("14") || grpcStatus.equals("8")) { // UNAVAILABLE, RESOURCE_EXHAUSTED
                    recorder.record(t0, t1, Recorder.Outcome.REFUSED, spans, len, "grpc-status " + grpcStatus);
                } else {
                    recorder.record(t0, t1, Recorder.Outcome.ERROR, spans, len, "grpc-status " + grpcStatus);
                }
            } else if (status == 202 && options.protocol() == LoadOptions.Protocol.ZIPKIN) {
                recorder.record(t0, t1, Recorder.Outcome.OK, spans, len, 0L);
            } else if (status == 200) {
                recorder.record(t0, t1, Recorder.Outcome.OK, spans, len, rejectedSpans(res.content(), false));
            } else if (status == 429 || status == 503) {
                recorder.record(t0, t1, Recorder.Outcome.REFUSED, spans, len, "http " + status);
            } else {
                recorder.record(t0, t1, Recorder.Outcome.ERROR, spans, len, "http " + status);
            }
        }
    }

    private ByteBuf newBuffer() {
        return Unpooled.directBuffer(maxLength, maxLength);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    private static String grpcStatus(HttpHeaders h) {
        return h.get("grpc-status");
    }

    /** Spans the server reported as rejected in an OTLP partial-success response body (0 when none). */
    static long rejectedSpans(HttpData body, boolean grpc) {
        int skip = grpc ? 5 : 0;
        if (body.length() <= skip) {
            return 0;
        }
        byte[] b = body.array();
        try {
            ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(
                    java.nio.ByteBuffer.wrap(b, skip, b.length - skip));
            return r.hasPartialSuccess() ? r.getPartialSuccess().getRejectedSpans() : 0;
        } catch (InvalidProtocolBufferException e) {
            return 0;
        }
    }
}
