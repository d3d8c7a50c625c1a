package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A JSON client for a neighbouring service over the JDK's {@link HttpClient}, which the agent instruments
 * (client spans, W3C {@code traceparent} injection; 4xx/5xx answers mark the client span as an error).
 */
public final class Downstream {
    /** A downstream answer: status and JSON body. */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String errorMessage() {
            JsonNode e = body.path("error");
            return e.path("code").asText("http_" + status) + ": " + e.path("message").asText("");
        }
    }

    private final String name;
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient client;

    public Downstream(String name, String baseUrl, Duration timeout) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    public Answer post(String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
                .build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? HttpService.JSON.createObjectNode() : HttpService.JSON.readTree(r.body());
            return new Answer(r.statusCode(), json);
        } catch (HttpTimeoutException e) {
            throw new HttpService.HttpError(504, name + "_timeout", name + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new HttpService.HttpError(502, name + "_unreachable", name + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpService.HttpError(503, "interrupted", "interrupted while calling " + name, e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return HttpService.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
