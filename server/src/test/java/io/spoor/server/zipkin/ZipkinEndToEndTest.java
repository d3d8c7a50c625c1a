package io.spoor.server.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.propagation.Propagation;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.DependencyLink;
import zipkin2.Endpoint;
import zipkin2.codec.DependencyLinkBytesDecoder;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Zipkin's own libraries against Spoor's :9411: a Brave-instrumented HTTP call chain (frontend → backend, B3 headers,
 * the backend joining the client's span as Zipkin does) reports through zipkin-reporter, and Zipkin's zipkin2 codec
 * parses every answer of the Zipkin API.
 */
class ZipkinEndToEndTest {
    @TempDir
    static Path dir;
    static Harness spoor;
    static String traceId;
    static final Http http = new Http();

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir));
        URLConnectionSender sender = URLConnectionSender.create("http://127.0.0.1:" + spoor.server.zipkinPort()
                + "/api/v2/spans");
        AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.create(sender);
        Tracing frontend = Tracing.newBuilder().localServiceName("frontend").addSpanHandler(handler).build();
        Tracing backend = Tracing.newBuilder().localServiceName("backend").addSpanHandler(handler).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/stock", exchange -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            TraceContextOrSamplingFlags extracted = backend.propagation()
                    .extractor((Map<String, String> h, String key) -> h.get(key.toLowerCase())).extract(headers);
            Span span = backend.tracer().joinSpan(extracted.context()).kind(Span.Kind.SERVER).name("get /api/stock");
            span.remoteIpAndPort("127.0.0.1", 40000);
            span.start();
            try {
                Span db = backend.tracer().newChild(span.context()).kind(Span.Kind.CLIENT).name("select stock")
                        .remoteServiceName("postgres").start();
                db.tag("db.statement", "select 1");
                db.finish();
                span.tag("http.path", "/api/stock");
                span.error(new IllegalStateException("out of stock"));
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
            } finally {
                span.finish();
                exchange.close();
            }
        });
        server.start();
        try {
            Tracer tracer = frontend.tracer();
            Span root = tracer.newTrace().kind(Span.Kind.SERVER).name("get /checkout").start();
            Span client = tracer.newChild(root.context()).kind(Span.Kind.CLIENT).name("get /api/stock")
                    .remoteServiceName("backend").start();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/api/stock"));
            TraceContext.Injector<HttpRequest.Builder> injector = frontend.propagation()
                    .injector((HttpRequest.Builder b, String k, String v) -> b.header(k, v));
            injector.inject(client.context(), request);
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            client.tag("http.status_code", Integer.toString(r.statusCode()));
            client.finish();
            root.annotate("checkout done");
            root.finish();
            traceId = root.context().traceIdString();
        } finally {
            server.stop(0);
            handler.flush();
            handler.close();
            frontend.close();
            backend.close();
            sender.close();
        }
        awaitStatus(() -> spoor.zipkin("/api/v2/trace/" + traceId), 200, t -> SpanBytesDecoder.JSON_V2
                .decodeList(t).size() == 4);
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    static void awaitStatus(Supplier<URI> uri, int status, java.util.function.Predicate<byte[]> done)
            throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            HttpResponse<byte[]> r = http.get(uri.get());
            if (r.statusCode() == status && done.test(r.body())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(uri.get() + " never answered as expected");
    }

    static HttpResponse<byte[]> get(String pathAndQuery, int status) {
        HttpResponse<byte[]> r = http.get(spoor.zipkin(pathAndQuery));
        assertThat(r.statusCode()).as(pathAndQuery + " → " + new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        return r;
    }

    static List<List<zipkin2.Span>> traces(byte[] body) throws IOException {
        List<List<zipkin2.Span>> out = new ArrayList<>();
        for (JsonNode t : Http.JSON.readTree(body)) {
            out.add(SpanBytesDecoder.JSON_V2.decodeList(Http.JSON.writeValueAsBytes(t)));
        }
        return out;
    }

    @Test
    void storesTheBraveCallChainWithBothHalvesOfTheSharedSpan() {
        List<zipkin2.Span> spans = SpanBytesDecoder.JSON_V2.decodeList(get("/api/v2/trace/" + traceId, 200).body());

        assertThat(spans).extracting(zipkin2.Span::localServiceName)
                .containsExactlyInAnyOrder("frontend", "frontend", "backend", "backend");
        zipkin2.Span client = spans.stream().filter(s -> s.kind() == zipkin2.Span.Kind.CLIENT
                && s.localServiceName().equals("frontend")).findFirst().orElseThrow();
        zipkin2.Span server = spans.stream().filter(s -> s.kind() == zipkin2.Span.Kind.SERVER
                && s.localServiceName().equals("backend")).findFirst().orElseThrow();
        assertThat(server.shared()).isTrue();
        assertThat(server.id()).isEqualTo(client.id());
        assertThat(server.parentId()).isEqualTo(client.parentId());
        assertThat(server.tags()).containsEntry("error", "out of stock").containsEntry("http.path", "/api/stock");
        assertThat(server.remoteEndpoint()).isEqualTo(Endpoint.newBuilder().ip("127.0.0.1").port(40000).build());
        assertThat(client.remoteServiceName()).isEqualTo("backend");
        zipkin2.Span root = spans.stream().filter(s -> s.parentId() == null).findFirst().orElseThrow();
        assertThat(root.annotations()).extracting(zipkin2.Annotation::value).containsExactly("checkout done");
        assertThat(root.traceId()).isEqualTo(traceId);
    }

    @Test
    void answersTheQueryApiInShapesZipkinsCodecReads() throws Exception {
        assertThat(Http.JSON.readValue(get("/api/v2/services", 200).body(), String[].class))
                .contains("backend", "frontend");
        assertThat(Http.JSON.readValue(get("/api/v2/spans?serviceName=backend", 200).body(), String[].class))
                .containsExactly("get /api/stock", "select stock");
        List<List<zipkin2.Span>> found = traces(get("/api/v2/traces?serviceName=backend&spanName=select+stock"
                + "&limit=5", 200).body());
        assertThat(found).singleElement().satisfies(t -> assertThat(t).hasSize(4));
        assertThat(traces(get("/api/v2/traces?serviceName=backend&annotationQuery=error", 200).body())).hasSize(1);
        assertThat(traces(get("/api/v2/traces?annotationQuery=http.path%3D%2Fapi%2Fstock+and+error", 200).body()))
                .hasSize(1);
        assertThat(traces(get("/api/v2/traces?serviceName=frontend&annotationQuery=error", 200).body())).isEmpty();
        assertThat(traces(get("/api/v2/traces?remoteServiceName=postgres", 200).body())).hasSize(1);
        assertThat(traces(get("/api/v2/traces?serviceName=frontend&minDuration=1&maxDuration=600000000", 200)
                .body())).hasSize(1);
        assertThat(traces(get("/api/v2/traces?serviceName=frontend&endTs=1000&lookback=1000", 200).body()))
                .isEmpty();
        assertThat(traces(get("/api/v2/traceMany?traceIds=" + traceId + ",00000000000000ff", 200).body()))
                .singleElement().satisfies(t -> assertThat(t).hasSize(4));

        List<DependencyLink> links = DependencyLinkBytesDecoder.JSON_V1.decodeList(get("/api/v2/dependencies?endTs="
                + (System.currentTimeMillis() + 1000), 200).body());
        assertThat(links).contains(
                DependencyLink.newBuilder().parent("frontend").child("backend").callCount(1).errorCount(1).build(),
                DependencyLink.newBuilder().parent("backend").child("postgres").callCount(1).build());
        assertThat(Http.JSON.readValue(get("/api/v2/remoteServices?serviceName=backend", 200).body(),
                String[].class)).containsExactly("postgres");
        assertThat(Http.JSON.readValue(get("/api/v2/autocompleteKeys", 200).body(), String[].class))
                .contains("http.request.method");
        assertThat(Http.JSON.readValue(get("/api/v2/autocompleteValues?key=db.statement", 200).body(),
                String[].class)).containsExactly("select 1");
    }

    @Test
    void acceptsJsonProto3AndGzipWith202() throws Exception {
        zipkin2.Span a = zipkin2.Span.newBuilder().traceId("00000000000000a1").id("01").name("proto")
                .timestamp(System.currentTimeMillis() * 1000).duration(5)
                .localEndpoint(Endpoint.newBuilder().serviceName("proto-svc").build()).build();
        zipkin2.Span b = a.toBuilder().traceId("00000000000000a2").name("gzip")
                .localEndpoint(Endpoint.newBuilder().serviceName("gzip-svc").build()).build();
        assertThat(post(SpanBytesEncoder.PROTO3.encodeList(List.of(a)), "application/x-protobuf", false)
                .statusCode()).isEqualTo(202);
        assertThat(post(SpanBytesEncoder.JSON_V2.encodeList(List.of(b)), "application/json", true).statusCode())
                .isEqualTo(202);
        assertThat(post("[]".getBytes(), "application/json", false).statusCode()).isEqualTo(202);
        awaitStatus(() -> spoor.zipkin("/api/v2/trace/00000000000000a1"), 200, x -> true);
        awaitStatus(() -> spoor.zipkin("/api/v2/trace/00000000000000a2"), 200, x -> true);
        assertThat(SpanBytesDecoder.JSON_V2.decodeList(get("/api/v2/trace/00000000000000a2", 200).body()))
                .containsExactly(b);
        // the 64-bit id padded to 128 bits is the same trace
        get("/api/v2/trace/000000000000000000000000000000a1", 200);
    }

    static HttpResponse<byte[]> post(byte[] body, String contentType, boolean gzip) throws IOException {
        byte[] wire = body;
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(body);
            }
            wire = out.toByteArray();
            return http.post(spoor.zipkin("/api/v2/spans"), wire, "Content-Type", contentType,
                    "Content-Encoding", "gzip");
        }
        return http.post(spoor.zipkin("/api/v2/spans"), wire, "Content-Type", contentType);
    }

    @Test
    void answersNonsenseWithAClear4xxAndStoresNothing() throws Exception {
        String before = new String(get("/api/v2/services", 200).body());
        String bad = "[{\"traceId\":\"00000000000000b1\",\"id\":\"01\",\"timestamp\":1,"
                + "\"localEndpoint\":{\"serviceName\":\"must-not-appear\"}},{\"traceId\":\"zz\",\"id\":\"02\"}]";
        assertReport(post(bad.getBytes(), "application/json", false), 400, "span 1: traceId");
        assertReport(post("[{\"traceId\":".getBytes(), "application/json", false), 400, "malformed JSON");
        assertReport(post(new byte[] {10, 9, 1, 2}, "application/x-protobuf", false), 400, "malformed protobuf");
        assertReport(post("[]".getBytes(), "text/plain", false), 415, "unsupported content type");
        assertReport(http.post(spoor.zipkin("/api/v2/spans"), "not gzip".getBytes(), "Content-Type",
                "application/json", "Content-Encoding", "gzip"), 400, "invalid gzip");
        assertReport(http.post(spoor.zipkin("/api/v2/spans"), "[]".getBytes(), "Content-Type",
                "application/json", "Content-Encoding", "br"), 415, "unsupported content encoding");

        get("/api/v2/trace/nothex", 400);
        get("/api/v2/trace/" + "1".repeat(33), 400);
        get("/api/v2/trace/0000000000000000", 400);
        assertThat(new String(get("/api/v2/trace/00000000000000ee", 404).body())).contains("not found");
        get("/api/v2/traceMany?traceIds=" + traceId, 400);
        get("/api/v2/traceMany?traceIds=abc,xyz", 400);
        get("/api/v2/spans", 400);
        get("/api/v2/remoteServices", 400);
        get("/api/v2/autocompleteValues", 400);
        get("/api/v2/dependencies", 400);
        get("/api/v2/dependencies?endTs=yesterday", 400);
        get("/api/v2/dependencies?endTs=-5", 400);
        get("/api/v2/traces?limit=0", 400);
        get("/api/v2/traces?limit=99999999", 400);
        get("/api/v2/traces?lookback=abc", 400);
        get("/api/v2/traces?endTs=99999999999999999", 400);
        get("/api/v2/traces?maxDuration=5", 400);
        get("/api/v2/traces?minDuration=10&maxDuration=5", 400);
        get("/api/v2/traces?annotationQuery=%3Dvalue", 400);
        get("/api/v2/nope", 404);

        Thread.sleep(1000); // the refresh delay: anything stored would be visible now
        assertThat(new String(get("/api/v2/services", 200).body())).isEqualTo(before).doesNotContain("must-not");
        get("/api/v2/trace/00000000000000b1", 404);
        get("/api/v2/services", 200); // and still serving
    }

    static void assertReport(HttpResponse<byte[]> r, int status, String message) {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(message);
    }
}
