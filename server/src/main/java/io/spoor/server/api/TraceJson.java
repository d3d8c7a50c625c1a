package io.spoor.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.spoor.model.Attributes;
import io.spoor.model.DependencyLink;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanLink;
import io.spoor.model.Trace;
import io.spoor.model.TraceSummary;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.storage.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
 * The native JSON of {@code /api/v1} (docs/api.md). Ids are lowercase hex; every epoch-nanosecond and nanosecond
 * value is a decimal string (as in OTLP JSON: they do not fit a JavaScript number); enums are names;
 * attributes are OTLP JSON {@code KeyValue} arrays, which keep the value types.
 */
final class TraceJson {
    private static final Logger log = LoggerFactory.getLogger(TraceJson.class);
    private static final JsonFactory JSON = new JsonFactory();

    private TraceJson() {
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A 200 JSON response whose body is generated on {@code executor} and sent in chunks as it is generated, for
     * bodies too large to build whole first (a 100,000-span trace is ≈ 60 MB of JSON: building it in one growing
     * array and copying that costs time, ≈ 3× its size in short-lived memory, and the first byte waits for the
     * last). At most 2 × {@link ChunkedBody#WINDOW} chunks wait for the client at once; a client that goes away
     * stops the generation. An error after the headers went out can only abort the response.
     *
     * <p>With {@code gzip} (the client accepts it) the body is gzipped at the fastest level: trace JSON is
     * repetitive, so even that shrinks it ≈ 11× (60.4 MB → 5.2 MB for the 100,000-span trace of
     * WebUiPerformanceTest, ≈ 0.2 s of one core; level 6 saves another 1.3 MB for 2.5× the time, see
     * docs/benchmarks.md).
     */
    static HttpResponse stream(Executor executor, boolean gzip, Body body) {
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
    static boolean acceptsGzip(String acceptEncoding) {
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
    static final class ChunkedBody extends OutputStream {
        static final int CHUNK = 64 * 1024;
        /** Chunks written between two waits; up to twice this many are in flight. */
        static final int WINDOW = 16;
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

    static void trace(JsonGenerator g, AssembledTrace assembled) throws IOException {
        Trace trace = assembled.trace();
        String traceId = trace.traceId().toHex();
        g.writeStartObject();
        g.writeStringField("traceId", traceId);
        g.writeArrayFieldStart("spans");
        for (Span s : trace.spans()) {
            // a trace's spans share its id: its hex is made once, not once per span
            span(g, s, assembled.warnings(s), s.traceId().equals(trace.traceId()) ? traceId : s.traceId().toHex());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void span(JsonGenerator g, Span s, List<String> warnings, String traceIdHex) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", traceIdHex);
        g.writeStringField("spanId", SpanId.toHex(s.spanId()));
        g.writeStringField("parentSpanId", s.parentSpanId() == SpanId.NONE ? "" : SpanId.toHex(s.parentSpanId()));
        if (!s.traceState().isEmpty()) {
            g.writeStringField("traceState", s.traceState());
        }
        g.writeNumberField("flags", s.flags());
        g.writeStringField("name", s.name());
        g.writeStringField("kind", s.kind().name());
        g.writeStringField("serviceName", s.serviceName());
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.endEpochNanos()));
        g.writeStringField("durationNanos", Long.toString(s.durationNanos()));
        attributes(g, "attributes", s.attributes());
        dropped(g, "droppedAttributesCount", s.droppedAttributesCount());
        g.writeArrayFieldStart("events");
        for (SpanEvent e : s.events()) {
            g.writeStartObject();
            g.writeStringField("timeUnixNano", Long.toUnsignedString(e.epochNanos()));
            g.writeStringField("name", e.name());
            attributes(g, "attributes", e.attributes());
            dropped(g, "droppedAttributesCount", e.droppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        dropped(g, "droppedEventsCount", s.droppedEventsCount());
        g.writeArrayFieldStart("links");
        for (SpanLink l : s.links()) {
            g.writeStartObject();
            g.writeStringField("traceId", l.traceId().toHex());
            g.writeStringField("spanId", SpanId.toHex(l.spanId()));
            if (!l.traceState().isEmpty()) {
                g.writeStringField("traceState", l.traceState());
            }
            g.writeNumberField("flags", l.flags());
            attributes(g, "attributes", l.attributes());
            dropped(g, "droppedAttributesCount", l.droppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        dropped(g, "droppedLinksCount", s.droppedLinksCount());
        g.writeObjectFieldStart("status");
        g.writeStringField("code", s.status().code().name());
        g.writeStringField("message", s.status().message());
        g.writeEndObject();
        resource(g, s.resource());
        g.writeObjectFieldStart("scope");
        g.writeStringField("name", s.scope().name());
        g.writeStringField("version", s.scope().version());
        attributes(g, "attributes", s.scope().attributes());
        dropped(g, "droppedAttributesCount", s.scope().droppedAttributesCount());
        g.writeEndObject();
        if (!warnings.isEmpty()) {
            g.writeArrayFieldStart("warnings");
            for (String w : warnings) {
                g.writeString(w);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static byte[] dependencies(List<DependencyLink> links) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("dependencies");
            for (DependencyLink l : links) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeStringField("child", l.child());
                g.writeNumberField("callCount", l.callCount());
                g.writeNumberField("errorCount", l.errorCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void resource(JsonGenerator g, Resource r) throws IOException {
        g.writeObjectFieldStart("resource");
        attributes(g, "attributes", r.attributes());
        if (!r.schemaUrl().isEmpty()) {
            g.writeStringField("schemaUrl", r.schemaUrl());
        }
        dropped(g, "droppedAttributesCount", r.droppedAttributesCount());
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, String field, Attributes a) throws IOException {
        g.writeFieldName(field);
        OtlpTraceEncoder.writeJsonAttributes(g, a);
    }

    private static void dropped(JsonGenerator g, String field, int count) throws IOException {
        if (count != 0) {
            g.writeNumberField(field, Integer.toUnsignedLong(count)); // uint32 in OTLP
        }
    }

    static byte[] summaries(List<TraceSummary> summaries) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("traces");
            for (TraceSummary t : summaries) {
                g.writeStartObject();
                g.writeStringField("traceId", t.traceId().toHex());
                g.writeStringField("rootServiceName", t.rootServiceName());
                g.writeStringField("rootSpanName", t.rootSpanName());
                g.writeStringField("startTimeUnixNano", Long.toUnsignedString(t.startEpochNanos()));
                g.writeStringField("durationNanos", Long.toString(t.durationNanos()));
                g.writeNumberField("spanCount", t.spanCount());
                g.writeNumberField("errorCount", t.errorCount());
                g.writeArrayFieldStart("services");
                for (Map.Entry<String, Integer> e : new TreeMap<>(t.spansPerService()).entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("name", e.getKey());
                    g.writeNumberField("spanCount", e.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static byte[] services(List<String> services) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("services");
            for (String s : services) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static byte[] operations(List<Operation> operations) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("operations");
            for (Operation o : operations) {
                g.writeStartObject();
                g.writeStringField("name", o.name());
                g.writeStringField("kind", o.kind().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    static byte[] error(int code, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
