package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.protocol.zipkin.ZipkinEncoder;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * One trace sent twice — as OTLP (OTLP/HTTP protobuf) and as Zipkin (zipkin-reporter's sender to :9411) — comes back
 * the same through the native, Jaeger and Zipkin APIs. The trace stays inside what both protocols carry (µs times,
 * string attributes, no span links or trace flags, only service.name on the resource, lower-case names as Zipkin's
 * libraries write them); what the documented mapping
 * changes outside that subset is asserted separately.
 */
class CrossProtocolTest {
    static final long US = 1000L;
    @TempDir
    static Path dir;
    static Harness spoor;
    static TraceId viaOtlp;
    static TraceId viaZipkin;
    static TraceId typedViaOtlp;
    static TraceId typedViaZipkin;

    static List<Span> trace(TraceId id, long t0) {
        InstrumentationScope scope = new InstrumentationScope("io.shop", "1.2.3", Attributes.EMPTY);
        Resource frontend = new Resource(Attributes.of("service.name", "x-frontend"), "");
        Resource orders = new Resource(Attributes.of("service.name", "x-orders"), "");
        List<Span> spans = new ArrayList<>();
        spans.add(Span.builder(id, 0xa1).name("get /checkout").kind(SpanKind.SERVER).startEpochNanos(t0)
                .endEpochNanos(t0 + 90_000 * US).attributes(Attributes.of("http.request.method", "GET"))
                .status(new Status(StatusCode.OK, "")).resource(frontend).scope(scope).build());
        spans.add(Span.builder(id, 0xa2).parentSpanId(0xa1).name("post /orders").kind(SpanKind.CLIENT)
                .startEpochNanos(t0 + 5_000 * US).endEpochNanos(t0 + 80_000 * US)
                .attributes(Attributes.of("url.full", "http://orders/orders", "peer.service", "x-orders"))
                .resource(frontend).scope(scope).build());
        spans.add(Span.builder(id, 0xa3).parentSpanId(0xa2).name("post /orders").kind(SpanKind.SERVER)
                .startEpochNanos(t0 + 10_000 * US).endEpochNanos(t0 + 70_000 * US)
                .events(List.of(new SpanEvent(t0 + 20_000 * US, "validated", Attributes.EMPTY, 0),
                        new SpanEvent(t0 + 60_000 * US, "exception", Attributes.of("exception.type",
                                "IllegalStateException", "exception.message", "no stock"), 0)))
                .status(new Status(StatusCode.ERROR, "no stock")).resource(orders).scope(scope).build());
        spans.add(Span.builder(id, 0xa4).parentSpanId(0xa3).name("reserve").kind(SpanKind.INTERNAL)
                .startEpochNanos(t0 + 15_000 * US).endEpochNanos(t0 + 50_000 * US)
                .attributes(Attributes.of("item", "book")).resource(orders).scope(scope).build());
        return spans;
    }

    static List<Span> withTraceId(List<Span> spans, TraceId id) {
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            Span.Builder b = Span.builder(id, s.spanId()).parentSpanId(s.parentSpanId()).name(s.name()).kind(s.kind())
                    .startEpochNanos(s.startEpochNanos()).endEpochNanos(s.endEpochNanos())
                    .attributes(s.attributes()).events(s.events()).status(s.status()).resource(s.resource())
                    .scope(s.scope()).links(s.links()).flags(s.flags());
            out.add(b.build());
        }
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir));
        long t0 = (System.currentTimeMillis() - 10_000) * 1_000_000L;
        viaOtlp = TestSpans.randomTraceId();
        viaZipkin = TestSpans.randomTraceId();
        typedViaOtlp = TestSpans.randomTraceId();
        typedViaZipkin = TestSpans.randomTraceId();
        List<Span> spans = trace(viaOtlp, t0);
        List<Span> typed = List.of(Span.builder(typedViaOtlp, 0xb1).name("GET Typed").kind(SpanKind.SERVER)
                .startEpochNanos(t0).endEpochNanos(t0 + 1_000_123).flags(1)
                .attributes(Attributes.of("http.response.status_code", 200L, "cached", true))
                .resource(new Resource(Attributes.of("service.name", "x-typed", "host.name", "h1"), "")).build());

        assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(spans), "Content-Type",
                "application/x-protobuf").statusCode()).isEqualTo(200);
        assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(typed), "Content-Type",
                "application/x-protobuf").statusCode()).isEqualTo(200);
        try (URLConnectionSender sender = URLConnectionSender.create("http://127.0.0.1:"
                + spoor.server.zipkinPort() + "/api/v2/spans")) {
            for (List<Span> s : List.of(withTraceId(spans, viaZipkin), withTraceId(typed, typedViaZipkin))) {
                // Zipkin spans as Zipkin's own codec writes them, sent by Zipkin's own sender
                List<zipkin2.Span> zipkin = SpanBytesDecoder.JSON_V2.decodeList(ZipkinEncoder.encodeJson(s));
                sender.send(zipkin.stream().map(SpanBytesEncoder.JSON_V2::encode).toList());
            }
        }
        for (TraceId id : List.of(viaOtlp, viaZipkin, typedViaOtlp, typedViaZipkin)) {
            for (int i = 0; i < 200 && spoor.http.get(spoor.api("/api/v1/traces/" + id.toHex())).statusCode() != 200;
                 i++) {
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    static String get(java.net.URI uri) {
        HttpResponse<byte[]> r = spoor.http.get(uri);
        assertThat(r.statusCode()).as(uri + " → " + new String(r.body())).isEqualTo(200);
        return new String(r.body());
    }

    static String without(String body, TraceId id) {
        return body.replace(id.toHex(), "<trace>");
    }

    @Test
    void theNativeApiShowsTheSameTrace() {
        assertThat(without(get(spoor.api("/api/v1/traces/" + viaZipkin.toHex())), viaZipkin))
                .isEqualTo(without(get(spoor.api("/api/v1/traces/" + viaOtlp.toHex())), viaOtlp));
    }

    @Test
    void theJaegerApiShowsTheSameTrace() {
        assertThat(without(get(spoor.api("/api/traces/" + viaZipkin.toHex())), viaZipkin))
                .isEqualTo(without(get(spoor.api("/api/traces/" + viaOtlp.toHex())), viaOtlp));
        assertThat(without(get(spoor.api("/api/v3/traces/" + viaZipkin.toHex())), viaZipkin))
                .isEqualTo(without(get(spoor.api("/api/v3/traces/" + viaOtlp.toHex())), viaOtlp));
    }

    @Test
    void theZipkinApiShowsTheSameTrace() {
        List<zipkin2.Span> a = SpanBytesDecoder.JSON_V2.decodeList(get(spoor.zipkin("/api/v2/trace/"
                + viaOtlp.toHex())).getBytes());
        List<zipkin2.Span> b = SpanBytesDecoder.JSON_V2.decodeList(get(spoor.zipkin("/api/v2/trace/"
                + viaZipkin.toHex())).getBytes());
        assertThat(b).hasSize(4);
        assertThat(b.stream().map(s -> s.toBuilder().traceId(viaOtlp.toHex()).build()).toList()).isEqualTo(a);
    }

    @Test
    void outsideTheCommonSubsetTheDocumentedMappingApplies() throws Exception {
        JsonNode otlp = Http.JSON.readTree(get(spoor.api("/api/v1/traces/" + typedViaOtlp.toHex())))
                .path("spans").get(0);
        JsonNode zipkin = Http.JSON.readTree(get(spoor.api("/api/v1/traces/" + typedViaZipkin.toHex())))
                .path("spans").get(0);
        // Zipkin tags are strings: typed attributes come back as their string forms
        assertThat(otlp.path("attributes").toString()).contains("{\"intValue\":\"200\"}", "{\"boolValue\":true}");
        assertThat(zipkin.path("attributes").toString()).contains("{\"key\":\"http.response.status_code\","
                + "\"value\":{\"stringValue\":\"200\"}}", "{\"key\":\"cached\",\"value\":{\"stringValue\":\"true\"}}");
        // resource attributes other than service.name travel as tags, so they come back as span attributes
        assertThat(zipkin.path("attributes").toString()).contains("\"key\":\"host.name\"");
        assertThat(zipkin.path("resource").path("attributes")).hasSize(1);
        // Zipkin's own libraries lower-case span names
        assertThat(otlp.path("name").asText()).isEqualTo("GET Typed");
        assertThat(zipkin.path("name").asText()).isEqualTo("get typed");
        // Zipkin has µs times and no trace flags
        assertThat(otlp.path("durationNanos").asText()).isEqualTo("1000123");
        assertThat(zipkin.path("durationNanos").asText()).isEqualTo("1000000");
        assertThat(otlp.path("flags").asInt()).isEqualTo(1);
        assertThat(zipkin.path("flags").asInt()).isEqualTo(0);
    }
}
