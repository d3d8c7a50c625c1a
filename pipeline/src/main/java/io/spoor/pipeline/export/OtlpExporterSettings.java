package io.spoor.pipeline.export;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An {@code otlp} (gRPC) or {@code otlphttp} exporter: where to send ({@code endpoint} as the Collector writes it:
 * {@code host:port} for gRPC, a URL for HTTP), extra {@code headers}, per-attempt {@code timeout}, gzip
 * {@code compression}, retries and the sending queue.
 */
public record OtlpExporterSettings(Protocol protocol, URI endpoint, Map<String, String> headers, Duration timeout,
                                   boolean gzip, RetrySettings retry, QueueSettings queue) {
    public enum Protocol { GRPC, HTTP }

    public OtlpExporterSettings {
        headers = Map.copyOf(headers);
    }
}
