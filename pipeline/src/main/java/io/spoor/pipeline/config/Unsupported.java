package io.spoor.pipeline.config;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Collector components Spoor does not have, with what to use instead. Listed so that a Collector file fails with
 * one error that says what to change, rather than "unknown key" for each.
 */
public final class Unsupported {
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

    /**
     * What to use instead of a component of {@code kind} ("receivers", …) and {@code type}; {@code known} are the
     * types of that kind Spoor has.
     */
    public static String replacement(String kind, String type, List<String> known) {
        String replacement = switch (kind) {
            case "receivers" -> RECEIVERS.get(type);
            case "processors" -> PROCESSORS.get(type);
            case "exporters" -> EXPORTERS.get(type);
            case "extensions" -> EXTENSIONS.get(type);
            default -> null;
        };
        if (replacement != null) {
            return replacement;
        }
        return switch (kind) {
            case "receivers" -> known.size() == 1 ? "Spoor has the " + known.getFirst() + " receiver only"
                    : "Spoor has the receivers " + String.join(", ", known);
            case "processors" -> "Spoor has " + String.join(", ", known) + "; " + COLLECTOR_IN_FRONT;
            case "exporters" -> "Spoor has " + String.join(", ", known) + " (spoor is its store)";
            case "extensions" -> "Spoor has no extensions; remove it";
            case "connectors" -> "Spoor has no connectors; " + COLLECTOR_IN_FRONT;
            default -> "remove it";
        };
    }

    /**
     * Reads the components under {@code root.kind} (ids are {@code type} or {@code type/name}): {@code reader} takes
     * each one whose type Spoor has ({@code known}); every other is added to {@code unsupported}, with its line and
     * what to use instead, so that all are reported in one error.
     */
    public static void readComponents(Section root, String kind, List<String> known,
                                      BiConsumer<String, ConfigNode> reader, List<String> unsupported) {
        Section s = Section.anyKeys(root.get(kind), kind);
        for (Map.Entry<String, ConfigNode> e : s.node().entries().entrySet()) {
            String id = e.getKey();
            String type = typeOf(id);
            if (known.contains(type)) {
                reader.accept(id, e.getValue());
            } else {
                unsupported.add(e.getValue().where() + ": " + replacement(kind, type, known));
            }
        }
    }

    /** The type of a component id: {@code batch/2} is a {@code batch}. */
    public static String typeOf(String id) {
        return id.split("/", 2)[0];
    }
}
