package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo services' whole "framework": the JDK's {@link HttpServer} (which the OpenTelemetry Java agent
 * instruments as {@code java-http-server}) with JSON bodies, uniform error answers and the correlation
 * headers {@code X-Trace-Id} / {@code X-Span-Id} on every response. Nothing here knows about Spoor.
 */
public final class HttpService {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);
    public static final ObjectMapper JSON = new ObjectMapper();

    /** A request as a handler sees it. */
    public record Request(String method, String path, Map<String, String> query, JsonNode body) {
        public String header(HttpExchange ex, String name) {
            return ex.getRequestHeaders().getFirst(name);
        }
    }

    /** A response: status and JSON body. */
    public record Response(int status, JsonNode body) {
        public static Response ok(JsonNode body) {
            return new Response(200, body);
        }
    }

    /** An expected failure answered with a status and a machine-readable code. */
    public static final class HttpError extends RuntimeException {
        final int status;
        final String code;

        public HttpError(int status, String code, String message) {
            this(status, code, message, null);
        }

        public HttpError(int status, String code, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(String method, String prefix, Handler handler) {
    }

    private final String name;
    private final List<Route> routes = new ArrayList<>();

    public HttpService(String name) {
        this.name = name;
        route("GET", "/health", r -> Response.ok(JSON.createObjectNode().put("status", "ok").put("service", name)));
    }

    /** Adds a route; {@code prefix} matches the path exactly, or as a prefix when it ends with '/'. */
    public HttpService route(String method, String prefix, Handler handler) {
        routes.add(new Route(method, prefix, handler));
        return this;
    }

    /** Binds, starts on virtual threads, and prints {@code listening on PORT} for the runner. */
    public HttpServer start(String bind, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        // one context per route, so that the agent names server spans after it ("POST /checkout", http.route)
        for (String path : routes.stream().map(Route::prefix).distinct().toList()) {
            server.createContext(path, this::exchange);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        int actual = server.getAddress().getPort();
        log.info("{} listening on {}:{}", name, bind, actual);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), name + "-stop"));
        return server;
    }

    private void exchange(HttpExchange ex) throws IOException {
        // the agent's server span is current here; every answer names it, as the seed's middleware does
        SpanContext sc = Span.current().getSpanContext();
        if (sc.isValid()) {
            ex.getResponseHeaders().set("X-Trace-Id", sc.getTraceId());
            ex.getResponseHeaders().set("X-Span-Id", sc.getSpanId());
            ex.getResponseHeaders().set("X-Trace-Sampled", Boolean.toString(sc.isSampled()));
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Response response;
        try {
            Route route = find(method, path);
            if (route == null) {
                response = error(404, "not_found", "no route for " + method + " " + path);
            } else {
                Request request = new Request(method, path, query(ex.getRequestURI().getRawQuery()), body(ex));
                response = route.handler.handle(request);
            }
        } catch (HttpError e) {
            if (e.status >= 500) {
                log.error("{} {} failed: {}", method, path, e.getMessage());
            } else {
                log.warn("{} {} refused: {}", method, path, e.getMessage());
            }
            response = error(e.status, e.code, e.getMessage());
        } catch (Exception | Error e) {
            // a bug: the current (server) span gets the exception; the agent marks it ERROR for the 500 too
            Span span = Span.current();
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
            log.error("{} {} crashed", method, path, e);
            response = error(500, "internal_error", e.getClass().getName() + ": " + e.getMessage());
        }
        byte[] bytes = JSON.writeValueAsBytes(response.body());
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Route find(String method, String path) {
        for (Route r : routes) {
            boolean match = r.prefix.endsWith("/") ? path.startsWith(r.prefix) : path.equals(r.prefix);
            if (match && r.method.equals(method)) {
                return r;
            }
        }
        return null;
    }

    public static Response error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message == null ? "" : message);
        return new Response(status, body);
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new HttpError(400, "bad_json", "request body is not JSON: " + e.getMessage());
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return q;
    }
}
