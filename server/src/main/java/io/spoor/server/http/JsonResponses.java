package io.spoor.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON answers: {@link #ok} for small bodies built whole (service lists, dependency links, errors) and
 * {@link #stream} for bodies whose size follows the data (traces, search results), which are generated while they
 * are sent, so that no request holds its whole answer in memory.
 */
public final class JsonResponses {
    private static final Logger log = LoggerFactory.getLogger(JsonResponses.class);
    private static final JsonFactory JSON = new JsonFactory();

    private JsonResponses() {
    }

    /** A 200 with a small body built whole. */
    public static HttpResponse ok(JsonBody body) {
        return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8),
                HttpData.wrap(bytes(body)));
    }

    static byte[] bytes(JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** {@link #stream(Executor, boolean, JsonBody)} on the request's blocking executor, gzipped if accepted. */
    public static HttpResponse stream(ServiceRequestContext ctx, HttpRequest req, JsonBody body) {
        return stream(ctx.blockingTaskExecutor(), acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING)),
                body);
    }

    /**
     * A 200 JSON response whose body is generated on {@code executor} and sent in chunks as it is generated, for
     * bodies too large to build whole first (a 100,000-span trace is ≈ 60 MB of JSON: building it in one growing
     * array and copying that costs time, ≈ 3× its size in short-lived memory, and the first byte waits for the
     * last). At most 2 × {@link ChunkedBody#WINDOW} chunks wait for the client at once; a client that goes away
     * stops the generation. An error after the headers went out can only abort the response, so whatever can be
     * refused (bad parameters, a missing trace) is decided before calling this.
     *
     * <p>With {@code gzip} (the client accepts it) the body is gzipped at the fastest level: trace JSON is
     * repetitive, so even that shrinks it ≈ 11× (60.4 MB → 5.2 MB for the 100,000-span trace of
     * WebUiPerformanceTest, ≈ 0.2 s of one core; level 6 saves another 1.3 MB for 2.5× the time, see
     * docs/benchmarks.md).
     */
    public static HttpResponse stream(Executor executor, boolean gzip, JsonBody body) {
        HttpResponseWriter res = HttpResponse.streaming();
        ResponseHeaders headers = ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8,
                HttpHeaderNames.VARY, "accept-encoding");
        res.write(gzip ? headers.toBuilder().set(HttpHeaderNames.CONTENT_ENCODING, "gzip").build() : headers);
        executor.execute(() -> {
            try (OutputStream out = gzip ? new FastGzip(new ChunkedBody(res)) : new ChunkedBody(res);
                 JsonGenerator g = JSON.createGenerator(out)) {
                body.write(g);
            } catch (IOException e) {
                res.close(e); // the client went away or stopped reading
                return;
            } catch (RuntimeException e) {
                log.warn("streaming a response failed after its headers were sent", e);
                res.close(e);
                return;
            }
            res.close();
        });
        return res;
    }

    /** gzip at {@link Deflater#BEST_SPEED}. */
    static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, ChunkedBody.CHUNK);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /**
     * Whether an Accept-Encoding header value admits gzip: {@code gzip} or {@code x-gzip} with a non-zero q, or
     * {@code *} with a non-zero q when gzip is not listed.
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean gzip = null;
        boolean any = false;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.split(";");
            String coding = p[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip();
                if (param.startsWith("q=") || param.startsWith("Q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).strip());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = q > 0;
            } else if (coding.equals("*")) {
                any = q > 0;
            }
        }
        return gzip != null ? gzip : any;
    }

    /** An OutputStream that hands the response 64 KiB chunks, waiting while too many are not yet sent. */
    public static final class ChunkedBody extends OutputStream {
        public static final int CHUNK = 64 * 1024;
        /** Chunks written between two waits; up to twice this many are in flight. */
        public static final int WINDOW = 16;
        private static final long CLIENT_TIMEOUT_SECONDS = 60;
        private final HttpResponseWriter res;
        private byte[] buf = new byte[CHUNK];
        private int len;
        private int chunks;
        private CompletableFuture<Void> consumed;

        ChunkedBody(HttpResponseWriter res) {
            this.res = res;
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                emit();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (len == buf.length) {
                    emit();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        @Override
        public void close() throws IOException {
            if (len > 0) {
                emit();
            }
        }

        private void emit() throws IOException {
            // each chunk is a fresh array handed over without a copy
            if (!res.tryWrite(HttpData.wrap(buf, 0, len))) {
                throw new IOException("the client went away");
            }
            buf = new byte[CHUNK];
            len = 0;
            if (++chunks % WINDOW == 0) {
                if (consumed != null) {
                    try {
                        consumed.get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IOException("the client stopped reading", e);
                    }
                }
                consumed = res.whenConsumed();
            }
        }
    }
}
