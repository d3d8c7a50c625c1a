package io.spoor.pipeline.export;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The keys the {@code otlp} and {@code otlphttp} exporters share, read as the Collector reads them. */
final class OtlpExporterSettingsReader {
    private static final List<String> COMPRESSION = List.of("gzip", "none");

    private OtlpExporterSettingsReader() {
    }

    static OtlpExporterSettings read(ConfigNode node, OtlpExporterSettings.Protocol protocol) {
        boolean http = protocol == OtlpExporterSettings.Protocol.HTTP;
        Section s = http
                ? Section.of(node, node.path(), "endpoint", "traces_endpoint", "tls", "headers", "timeout",
                        "compression", "retry_on_failure", "sending_queue")
                : Section.of(node, node.path(), "endpoint", "tls", "headers", "timeout", "compression",
                        "retry_on_failure", "sending_queue");
        Section tls = s.section("tls", "insecure");
        boolean insecure = tls.bool("insecure").orElse(false);
        URI uri;
        if (http) {
            Optional<String> traces = s.string("traces_endpoint");
            String endpoint = traces.or(() -> s.string("endpoint"))
                    .orElseThrow(() -> s.missing("endpoint", ", e.g. http://backend:4318"));
            String key = traces.isPresent() ? "traces_endpoint" : "endpoint";
            uri = url(s, key, endpoint);
            if (traces.isEmpty()) {
                String base = uri.getRawPath() == null ? "" : uri.getRawPath();
                uri = uri.resolve((base.endsWith("/") ? base : base + "/") + "v1/traces");
            }
        } else {
            String endpoint = s.string("endpoint").orElseThrow(() -> s.missing("endpoint", ", e.g. backend:4317"));
            if (endpoint.contains("://")) {
                uri = url(s, "endpoint", endpoint);
            } else {
                // Like the Collector: a bare host:port is TLS unless tls.insecure is true.
                uri = url(s, "endpoint", (insecure ? "http://" : "https://") + endpoint);
            }
        }
        if (insecure && "https".equals(uri.getScheme())) {
            uri = URI.create("http://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Section h = Section.anyKeys(s.get("headers"), s.child("headers"));
        for (String k : h.node().entries().keySet()) {
            headers.put(k, h.string(k).orElse(""));
        }
        Duration timeout = s.duration("timeout", false).orElse(Duration.ofSeconds(http ? 30 : 5));
        boolean gzip = s.oneOf("compression", COMPRESSION).orElse("gzip").equals("gzip");
        RetrySettings rd = RetrySettings.DEFAULTS;
        Section r = s.section("retry_on_failure", "enabled", "initial_interval", "max_interval",
                "max_elapsed_time", "multiplier", "randomization_factor");
        RetrySettings retry = new RetrySettings(r.bool("enabled").orElse(rd.enabled()),
                r.duration("initial_interval", false).orElse(rd.initialInterval()),
                r.duration("max_interval", false).orElse(rd.maxInterval()),
                r.duration("max_elapsed_time", true).orElse(rd.maxElapsedTime()),
                r.number("multiplier", 1, 100).orElse(rd.multiplier()),
                r.number("randomization_factor", 0, 1).orElse(rd.randomizationFactor()));
        QueueSettings qd = QueueSettings.DEFAULTS;
        Section q = s.section("sending_queue", "enabled", "num_consumers", "queue_size");
        QueueSettings queue = new QueueSettings(q.bool("enabled").orElse(qd.enabled()),
                q.whole("num_consumers", 1, 1000).orElse((long) qd.numConsumers()).intValue(),
                q.whole("queue_size", 1, 10_000_000).orElse((long) qd.queueSize()).intValue());
        return new OtlpExporterSettings(protocol, uri, headers, timeout, gzip, retry, queue);
    }

    /** An exporter that sends somewhere needs a definition naming where. */
    static ConfigException needsEndpoint(String type) {
        return new ConfigException("an " + type + " exporter needs a definition under exporters with its endpoint");
    }

    private static URI url(Section s, String key, String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null || uri.getPort() < 0 && uri.getHost().isEmpty()) {
                throw s.invalid(key, "must be a URL like http://backend:4318 (or host:port for otlp)");
            }
            if (uri.getPort() < 0) {
                uri = new URI(uri.getScheme(), null, uri.getHost(), uri.getScheme().equals("https") ? 443 : 80,
                        uri.getPath(), null, null);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw s.invalid(key, "is not a valid URL or host:port");
        }
    }
}
