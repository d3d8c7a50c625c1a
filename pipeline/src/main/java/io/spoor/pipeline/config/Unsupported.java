package io.spoor.pipeline.config;

import java.util.Map;

/**
 * Collector components Spoor does not have, with what to use instead. Listed so that a Collector file fails with
 * one error that says what to change, rather than "unknown key" for each.
 */
final class Unsupported {
    private Unsupported() {
    }

    private static final String SCALE_OUT = "put a Collector with the loadbalancing exporter (routing_key: traceID) "
            + "in front of several Spoor instances (docs/architecture.md, scale-out)";
    private static final String COLLECTOR_IN_FRONT = "run it in an OpenTelemetry Collector in front of Spoor, which "
            + "then forwards over OTLP";

    private static final Map<String, String> RECEIVERS = Map.of(
            "jaeger", "Spoor receives OTLP only here: Jaeger's clients are deprecated in favour of the OpenTelemetry "
                    + "SDKs, which export OTLP; or " + COLLECTOR_IN_FRONT,
            "kafka", COLLECTOR_IN_FRONT,
            "prometheus", "Spoor stores traces only",
            "hostmetrics", "Spoor stores traces only",
            "filelog", "Spoor stores traces only");
    private static final Map<String, String> PROCESSORS = Map.of(
            "groupbytrace", "the tail_sampling processor already groups spans by trace",
            "resourcedetection", COLLECTOR_IN_FRONT,
            "k8sattributes", COLLECTOR_IN_FRONT,
            "attributes", COLLECTOR_IN_FRONT,
            "resource", COLLECTOR_IN_FRONT,
            "transform", COLLECTOR_IN_FRONT,
            "filter", COLLECTOR_IN_FRONT + " (or express the rule as a tail_sampling policy)",
            "span", COLLECTOR_IN_FRONT);
    private static final Map<String, String> EXPORTERS = Map.of(
            "jaeger", "the jaeger exporter was removed from the Collector (v0.86) in favour of OTLP: use the otlp "
                    + "exporter, Jaeger accepts OTLP/gRPC on port 4317 (or otlphttp to port 4318)",
            "jaeger_thrift", "use the otlp exporter: Jaeger accepts OTLP/gRPC on port 4317",
            "zipkin", "use otlp or otlphttp to an OTLP backend; Spoor does not send Zipkin",
            "logging", "the logging exporter was removed from the Collector; Spoor's query API shows what arrived",
            "debug", "remove it; Spoor's query API (and /metrics) show what arrived",
            "loadbalancing", SCALE_OUT,
            "kafka", COLLECTOR_IN_FRONT,
            "file", COLLECTOR_IN_FRONT,
            "prometheus", "Spoor stores traces only");
    private static final Map<String, String> EXTENSIONS = Map.of(
            "health_check", "Spoor serves GET /health on its API port (--http-port); remove the extension",
            "pprof", "use JFR or jcmd against the Spoor JVM",
            "zpages", "Spoor's own metrics are at /metrics on its API port");

    /** What to use instead of a component of {@code kind} ("receivers", …) and {@code type}. */
    static String replacement(String kind, String type) {
        String known = switch (kind) {
            case "receivers" -> RECEIVERS.get(type);
            case "processors" -> PROCESSORS.get(type);
            case "exporters" -> EXPORTERS.get(type);
            case "extensions" -> EXTENSIONS.get(type);
            default -> null;
        };
        if (known != null) {
            return known;
        }
        return switch (kind) {
            case "receivers" -> "Spoor has the otlp receiver only";
            case "processors" -> "Spoor has memory_limiter, batch, probabilistic_sampler, tail_sampling; "
                    + COLLECTOR_IN_FRONT;
            case "exporters" -> "Spoor has spoor (its store), otlp and otlphttp";
            case "extensions" -> "Spoor has no extensions; remove it";
            case "connectors" -> "Spoor has no connectors; " + COLLECTOR_IN_FRONT;
            default -> "remove it";
        };
    }
}
