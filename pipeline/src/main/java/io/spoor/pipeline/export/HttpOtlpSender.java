package io.spoor.pipeline.export;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/** OTLP/HTTP protobuf ({@code POST …/v1/traces}) through an Armeria {@link WebClient}. */
final class HttpOtlpSender implements OtlpSender {
    private final ClientFactory factory;
    private final WebClient client;
    private final String path;
    private final Map<String, String> headers;
    private final boolean gzip;

    HttpOtlpSender(OtlpExporterSettings s) {
        URI uri = s.endpoint();
        this.factory = ClientFactory.builder().build();
        this.client = WebClient.builder(uri.getScheme() + "://" + uri.getAuthority()).factory(factory)
                .responseTimeout(s.timeout()).build();
        // the configuration has already made this the full traces URL (endpoint + /v1/traces, or traces_endpoint)
        this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/v1/traces" : uri.getRawPath();
        this.headers = s.headers();
        this.gzip = s.gzip();
    }

    @Override
    public CompletableFuture<SendResult> send(byte[] request) {
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.PROTOBUF);
        headers.forEach(h::add);
        byte[] body = request;
        if (gzip) {
            h.add(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            body = gzip(request);
        }
        return client.execute(HttpRequest.of(h.build(), HttpData.wrap(body))).aggregate()
                .handle((response, error) -> error != null
                        ? new SendResult.Retryable("cannot reach the backend: " + error, null)
                        : classify(response));
    }

    static SendResult classify(AggregatedHttpResponse r) {
        int code = r.status().code();
        if (code >= 200 && code < 300) {
            return new SendResult.Sent();
        }
        String reason = "HTTP " + code + (r.contentUtf8().isBlank() ? "" : ": " + abbreviate(r.contentUtf8()));
        // OTLP/HTTP: 429, 502, 503, 504 are retryable; everything else is not
        if (code == 429 || code == 502 || code == 503 || code == 504) {
            return new SendResult.Retryable(reason, retryAfter(r.headers().get(HttpHeaderNames.RETRY_AFTER)));
        }
        return new SendResult.Permanent(reason);
    }

    private static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: fall back to the backoff
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        factory.close();
    }
}
