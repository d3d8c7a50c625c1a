package io.spoor.pipeline.export;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/gRPC ({@code TraceService/Export}) as a unary gRPC call over HTTP/2 with an Armeria {@link WebClient}: the
 * request is the 5-byte gRPC frame around the encoded message and the outcome is the {@code grpc-status} trailer.
 * Framing by hand keeps grpc-java out of the pipeline module for a single unary method.
 */
final class GrpcOtlpSender implements OtlpSender {
    private static final String PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    /** The codes OTLP says to retry (opentelemetry-proto, docs/specification.md "Failures"). */
    private static final Set<Integer> RETRYABLE = Set.of(1, 4, 8, 10, 11, 14, 15);

    private final ClientFactory factory;
    private final WebClient client;
    private final Map<String, String> headers;
    private final boolean gzip;

    GrpcOtlpSender(OtlpExporterSettings s) {
        URI uri = s.endpoint();
        this.factory = ClientFactory.builder().build();
        String scheme = "https".equals(uri.getScheme()) ? "h2" : "h2c";
        this.client = WebClient.builder(scheme + "://" + uri.getAuthority()).factory(factory)
                .responseTimeout(s.timeout()).build();
        this.headers = s.headers();
        this.gzip = s.gzip();
    }

    @Override
    public CompletableFuture<SendResult> send(byte[] request) {
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, PATH)
                .contentType(MediaType.create("application", "grpc")).add("te", "trailers");
        headers.forEach(h::add);
        byte[] message = request;
        if (gzip) {
            h.add("grpc-encoding", "gzip");
            message = HttpOtlpSender.gzip(request);
        }
        ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
        frame.put((byte) (gzip ? 1 : 0)).putInt(message.length).put(message);
        return client.execute(HttpRequest.of(h.build(), HttpData.wrap(frame.array()))).aggregate()
                .handle((response, error) -> error != null
                        ? new SendResult.Retryable("cannot reach the backend: " + error, null)
                        : classify(response));
    }

    static SendResult classify(AggregatedHttpResponse r) {
        if (r.status().code() != 200) {
            int http = r.status().code();
            String reason = "HTTP " + http + " from a gRPC endpoint";
            return http == 429 || http == 502 || http == 503 || http == 504
                    ? new SendResult.Retryable(reason, null) : new SendResult.Permanent(reason);
        }
        String status = status(r.trailers(), r.headers(), "grpc-status");
        if (status == null) {
            return new SendResult.Retryable("the response carried no grpc-status", null);
        }
        int code;
        try {
            code = Integer.parseInt(status.strip());
        } catch (NumberFormatException e) {
            return new SendResult.Permanent("unreadable grpc-status '" + status + "'");
        }
        if (code == 0) {
            return new SendResult.Sent();
        }
        String message = status(r.trailers(), r.headers(), "grpc-message");
        String reason = "gRPC status " + code + (message == null ? "" : ": " + message);
        return RETRYABLE.contains(code) ? new SendResult.Retryable(reason, null) : new SendResult.Permanent(reason);
    }

    /** Trailers-only responses carry the status in the headers. */
    private static String status(HttpHeaders trailers, HttpHeaders headers, String name) {
        String v = trailers.get(name);
        return v != null ? v : headers.get(name);
    }

    @Override
    public void close() {
        factory.close();
    }
}
