package io.spoor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.spoor.server.config.HttpConfig;
import io.spoor.server.config.QueryConfig;
import io.spoor.server.support.Harness;
import io.spoor.storage.memory.InMemorySpanStore;
import io.spoor.storage.SpanStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe defaults for reading, against a real server: no cross-origin reads unless origins are configured; hosts
 * Spoor does not serve refused on every listener (DNS rebinding); error bodies without internal exception text.
 */
class ReadSafetyTest {
    @TempDir
    Path dir;

    /** A raw HTTP/1.1 GET with exactly this Host header: the status code and the body (read by Content-Length). */
    static String[] rawGet(int port, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed in the headers: " + head);
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).strip());
                }
            }
            return new String[] {head.substring(9, 12), new String(in.readNBytes(length), StandardCharsets.UTF_8)};
        }
    }

    static HttpResponse<byte[]> getWithOrigin(Harness spoor, URI uri, String origin) {
        return spoor.http.send(HttpRequest.newBuilder(uri).header("Origin", origin).GET().build());
    }

    @Test
    void noOriginButTheUisOwnMayReadByDefault() {
        try (Harness spoor = Harness.start(Harness.config(dir))) {
            for (URI uri : List.of(spoor.api("/api/v1/services"), spoor.api("/api/services"),
                    spoor.api("/api/v3/services"), spoor.zipkin("/api/v2/services"))) {
                HttpResponse<byte[]> r = getWithOrigin(spoor, uri, "http://localhost:5173");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("access-control-allow-origin")).as(uri.toString()).isEmpty();
                HttpResponse<byte[]> preflight = spoor.http.send(HttpRequest.newBuilder(uri)
                        .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "GET")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
                assertThat(preflight.headers().firstValue("access-control-allow-origin")).as(uri.toString()).isEmpty();
            }
        }
    }

    @Test
    void configuredOriginsMayReadAndNoOther() {
        QueryConfig query = QueryConfig.DEFAULTS.withCorsAllowedOrigins(List.of("http://localhost:5173"));
        try (Harness spoor = Harness.start(Harness.config(dir).withQuery(query))) {
            for (URI uri : List.of(spoor.api("/api/v1/services"), spoor.api("/api/services"),
                    spoor.api("/api/v3/services"), spoor.zipkin("/api/v2/services"))) {
                assertThat(getWithOrigin(spoor, uri, "http://localhost:5173").headers()
                        .firstValue("access-control-allow-origin")).as(uri.toString()).contains("http://localhost:5173");
                assertThat(getWithOrigin(spoor, uri, "http://evil.example").headers()
                        .firstValue("access-control-allow-origin")).as(uri.toString()).isEmpty();
            }
        }
        QueryConfig any = QueryConfig.DEFAULTS.withCorsAllowedOrigins(List.of("*"));
        try (Harness spoor = Harness.start(Harness.config(dir.resolve("any")).withQuery(any))) {
            assertThat(getWithOrigin(spoor, spoor.api("/api/v1/services"), "http://evil.example").headers()
                    .firstValue("access-control-allow-origin")).contains("*");
        }
    }

    @Test
    void everyListenerRefusesHostsItDoesNotServe() throws Exception {
        try (Harness spoor = Harness.start(Harness.config(dir))) {
            int[] ports = {spoor.server.httpPort(), spoor.server.zipkinPort(), spoor.server.otlpHttpPort()};
            for (int port : ports) {
                String[] refused = rawGet(port, "/api/v1/services", "rebound.attacker.example:" + port);
                assertThat(refused[0]).as("port " + port).isEqualTo("421");
                assertThat(refused[1]).contains("host 'rebound.attacker.example' is not served here",
                        "spoor.http.allowed_hosts");
                assertThat(rawGet(port, "/api/v1/services", "localhost:" + port)[0]).isNotEqualTo("421");
                assertThat(rawGet(port, "/api/v1/services", "[::1]:" + port)[0]).isNotEqualTo("421");
            }
            assertThat(rawGet(spoor.server.httpPort(), "/api/v1/services", "127.0.0.1")[0]).isEqualTo("200");
            assertThat(rawGet(spoor.server.httpPort(), "/", "rebound.attacker.example")[0]).isEqualTo("421");

            // OTLP/gRPC: the :authority header, answered with gRPC's PERMISSION_DENIED
            WebClient h2 = WebClient.builder("h2c://127.0.0.1:" + spoor.server.otlpGrpcPort())
                    .factory(ClientFactory.ofDefault()).build();
            AggregatedHttpResponse grpc = h2.execute(RequestHeaders.builder(HttpMethod.POST,
                    "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                    .contentType(MediaType.parse("application/grpc")).add("te", "trailers")
                    .authority("rebound.attacker.example:4317").build(), HttpData.wrap(new byte[5])).aggregate().join();
            String status = grpc.trailers().isEmpty() ? grpc.headers().get("grpc-status")
                    : grpc.trailers().get("grpc-status");
            assertThat(status).isEqualTo("7");
            AggregatedHttpResponse ok = h2.execute(RequestHeaders.builder(HttpMethod.POST,
                    "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                    .contentType(MediaType.parse("application/grpc")).add("te", "trailers")
                    .authority("localhost:4317").build(), HttpData.wrap(new byte[5])).aggregate().join();
            String okStatus = ok.trailers().isEmpty() ? ok.headers().get("grpc-status") : ok.trailers().get("grpc-status");
            assertThat(okStatus).isEqualTo("0");
        }
    }

    @Test
    void listedHostsAreServedBesideTheLoopbackNames() throws Exception {
        HttpConfig http = new HttpConfig(List.of("tracing.example"));
        try (Harness spoor = Harness.start(Harness.config(dir).withHttp(http))) {
            int port = spoor.server.httpPort();
            assertThat(rawGet(port, "/api/v1/services", "tracing.example:" + port)[0]).isEqualTo("200");
            assertThat(rawGet(port, "/api/v1/services", "localhost")[0]).isEqualTo("200");
            assertThat(rawGet(port, "/api/v1/services", "other.example")[0]).isEqualTo("421");
        }
    }

    /** The in-memory store, failing every read with a message full of internals. */
    static SpanStore failingReads() {
        InMemorySpanStore store = new InMemorySpanStore();
        return (SpanStore) Proxy.newProxyInstance(SpanStore.class.getClassLoader(), new Class<?>[] {SpanStore.class},
                (proxy, method, args) -> {
                    if (List.of("services", "trace", "findTraces").contains(method.getName())) {
                        throw new IllegalStateException("segment /var/lib/spoor/secret-index/_3.cfs is corrupt");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void errorBodiesCarryNoInternalExceptionText() {
        try (Harness spoor = Harness.start(Harness.config(dir), config -> failingReads())) {
            String id = "0123456789abcdef0123456789abcdef";
            for (URI uri : List.of(spoor.api("/api/v1/services"), spoor.api("/api/v1/traces/" + id),
                    spoor.api("/api/v1/traces?service=x"), spoor.api("/api/services"),
                    spoor.api("/api/traces/" + id), spoor.api("/api/v3/services"), spoor.zipkin("/api/v2/services"),
                    spoor.zipkin("/api/v2/trace/" + id), spoor.zipkin("/api/v2/traces"))) {
                HttpResponse<byte[]> r = spoor.http.get(uri);
                String body = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(r.statusCode()).as(uri + " " + body).isEqualTo(500);
                assertThat(body).as(uri.toString()).contains("internal error; the server log has the details")
                        .doesNotContain("secret", "/var/lib", "IllegalStateException", "corrupt");
            }
        }
    }
}
