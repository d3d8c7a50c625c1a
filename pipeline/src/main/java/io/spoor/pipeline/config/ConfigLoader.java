package io.spoor.pipeline.config;

import io.spoor.model.StatusCode;
import io.spoor.pipeline.batch.BatchSettings;
import io.spoor.pipeline.config.PipelineConfig.Endpoint;
import io.spoor.pipeline.config.PipelineConfig.ExporterConfig;
import io.spoor.pipeline.config.PipelineConfig.MemoryLimiterConfig;
import io.spoor.pipeline.config.PipelineConfig.PolicySpec;
import io.spoor.pipeline.config.PipelineConfig.ProcessorConfig;
import io.spoor.pipeline.export.OtlpExporterSettings;
import io.spoor.pipeline.export.QueueSettings;
import io.spoor.pipeline.export.RetrySettings;
import io.spoor.pipeline.sampling.TraceIdRatio;
import io.spoor.pipeline.sampling.tail.AdaptiveLatency;
import io.spoor.pipeline.sampling.tail.Composite;
import io.spoor.pipeline.sampling.tail.NamedPolicy;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import io.spoor.pipeline.sampling.tail.RateLimiting;
import io.spoor.pipeline.sampling.tail.TailSamplingSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a configuration file in the OpenTelemetry Collector's shape ({@code receivers}, {@code processors},
 * {@code exporters}, {@code service.pipelines.traces}) plus a {@code spoor:} section. Every key is checked: an
 * unknown key or a bad value is one {@link ConfigException} naming the key and its line, and all the Collector
 * components Spoor does not have are named together in one error with what to use instead. Strings may use
 * {@code ${env:VAR}}. docs/configuration.md documents every key.
 */
public final class ConfigLoader {
    private static final List<String> FSYNC_POLICIES = List.of("none", "interval", "every_batch");
    private static final List<String> COMPRESSION = List.of("gzip", "none");

    private ConfigLoader() {
    }

    /** Loads {@code file}, substituting from the process environment. */
    public static PipelineConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static PipelineConfig load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text, env);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    public static PipelineConfig parse(String yaml, Function<String, String> env) {
        ConfigNode tree = YamlTree.parse(yaml, new EnvSubstitution(env));
        if (tree == null) {
            return PipelineConfig.defaults();
        }
        return new Reader().read(tree);
    }

    /** One reading of one file: collects the unsupported components to report them together. */
    private static final class Reader {
        private final List<String> unsupported = new ArrayList<>();
        private final Map<String, ProcessorConfig> processors = new LinkedHashMap<>();
        private final Map<String, ExporterConfig> exporters = new LinkedHashMap<>();
        private MemoryLimiterConfig memoryLimiter = MemoryLimiterConfig.DEFAULTS;
        private String memoryLimiterId;
        private PipelineConfig.Receivers receivers = PipelineConfig.Receivers.DEFAULTS;

        PipelineConfig read(ConfigNode tree) {
            Section root = Section.of(tree, "", "receivers", "processors", "exporters", "extensions", "connectors",
                    "service", "spoor");
            components(root, "receivers", this::receiver);
            components(root, "processors", this::processor);
            components(root, "exporters", this::exporter);
            components(root, "extensions", (type, s) -> false);
            components(root, "connectors", (type, s) -> false);
            Section service = root.section("service", "pipelines", "extensions", "telemetry");
            if (service.has("telemetry")) {
                unsupported.add(service.get("telemetry").where() + ": Spoor's own telemetry is fixed: Prometheus "
                        + "metrics at /metrics on the API port, logs on standard error; remove it");
            }
            PipelineConfig config = PipelineConfig.defaults();
            Section pipelines = Section.anyKeys(service.get("pipelines"), service.child("pipelines"));
            List<String> traces = new ArrayList<>();
            for (Map.Entry<String, ConfigNode> e : pipelines.node().entries().entrySet()) {
                String type = e.getKey().split("/", 2)[0];
                if (type.equals("traces")) {
                    traces.add(e.getKey());
                } else {
                    unsupported.add(e.getValue().where() + ": Spoor stores traces only; send " + type
                            + " to another backend");
                }
            }
            if (!unsupported.isEmpty()) {
                throw new ConfigException("this configuration uses what Spoor does not have:\n  - "
                        + String.join("\n  - ", unsupported));
            }
            if (traces.size() > 1) {
                throw new ConfigException(pipelines.get(traces.get(1)).where()
                        + ": Spoor runs one traces pipeline; merge " + traces + " into one");
            }
            if (traces.isEmpty()) {
                // No service section: memory_limiter → batch → spoor, with the file's settings for those two.
                ProcessorConfig batch = processors.get("batch");
                config = config.withMemoryLimiter(memoryLimiter)
                        .withProcessors(List.of(batch != null ? batch : new ProcessorConfig.Batch("batch",
                                BatchSettings.DEFAULTS)));
            } else {
                config = tracesPipeline(pipelines.section(traces.getFirst(), "receivers", "processors",
                        "exporters"), config);
            }
            config = new PipelineConfig(receivers, config.memoryLimiter(), config.processors(), config.exporters(),
                    spoor(root), query(root), http(root));
            return config;
        }

        private PipelineConfig tracesPipeline(Section p, PipelineConfig config) {
            for (String r : p.strings("receivers")) {
                if (!r.equals("otlp") && !r.equals("zipkin")) {
                    throw new ConfigException(p.get("receivers").where() + ": '" + r + "' is not defined under "
                            + "receivers (Spoor's receivers are otlp and zipkin)");
                }
            }
            List<ProcessorConfig> chain = new ArrayList<>();
            MemoryLimiterConfig ml = MemoryLimiterConfig.DEFAULTS;
            for (String id : p.strings("processors")) {
                if (id.equals(memoryLimiterId)) {
                    ml = memoryLimiter;
                } else if (processors.containsKey(id)) {
                    chain.add(processors.get(id));
                } else {
                    throw new ConfigException(p.get("processors").where() + ": '" + id
                            + "' is not defined under processors");
                }
            }
            List<ExporterConfig> out = new ArrayList<>();
            for (String id : p.strings("exporters")) {
                if (exporters.containsKey(id)) {
                    out.add(exporters.get(id));
                } else if (id.equals("spoor")) {
                    out.add(new ExporterConfig.Store("spoor")); // needs no settings, so no definition either
                } else {
                    throw new ConfigException(p.get("exporters").where() + ": '" + id
                            + "' is not defined under exporters");
                }
            }
            if (out.isEmpty()) {
                throw new ConfigException("'" + p.child("exporters") + "'" + (p.line() > 0 ? " (line " + p.line()
                        + ")" : "") + " must name at least one exporter, e.g. [spoor]");
            }
            return config.withMemoryLimiter(ml).withProcessors(chain).withExporters(out);
        }

        @FunctionalInterface
        private interface ComponentReader {
            /** Reads a component of a type; false when Spoor does not have that type. */
            boolean read(String id, ConfigNode node);
        }

        private void components(Section root, String kind, ComponentReader reader) {
            Section s = Section.anyKeys(root.get(kind), kind);
            for (Map.Entry<String, ConfigNode> e : s.node().entries().entrySet()) {
                String id = e.getKey();
                String type = id.split("/", 2)[0];
                if (!reader.read(id, e.getValue())) {
                    unsupported.add(e.getValue().where() + ": " + Unsupported.replacement(kind, type));
                }
            }
        }

        // ------------------------------------------------------------------ receivers

        private boolean receiver(String id, ConfigNode node) {
            String type = id.split("/", 2)[0];
            if (!type.equals("otlp") && !type.equals("zipkin")) {
                return false;
            }
            if (!id.equals(type)) {
                throw new ConfigException(node.where() + ": Spoor runs one " + type + " receiver; name it '" + type
                        + "'");
            }
            if (type.equals("zipkin")) {
                Section zipkin = Section.of(node, "receivers.zipkin", listenerKeys("endpoint", "cors"));
                receivers = new PipelineConfig.Receivers(receivers.grpc(), receivers.http(), endpoint(zipkin),
                        receivers.grpcLimits(), receivers.httpLimits(), listenerLimits(zipkin, true));
                return true;
            }
            Section otlp = Section.of(node, "receivers.otlp", "protocols");
            Section protocols = otlp.section("protocols", "grpc", "http");
            Section grpc = protocols.section("grpc", listenerKeys("endpoint"));
            Section http = protocols.section("http", listenerKeys("endpoint", "cors"));
            receivers = new PipelineConfig.Receivers(endpoint(grpc), endpoint(http), receivers.zipkin(),
                    listenerLimits(grpc, false), listenerLimits(http, true), receivers.zipkinLimits());
            return true;
        }

        /** A receiver listener's limits, and for HTTP ones {@code cors.allowed_origins}. */
        private static PipelineConfig.ListenerLimits listenerLimits(Section s, boolean http) {
            Optional<List<String>> origins = Optional.empty();
            if (http && s.has("cors")) {
                Section cors = s.section("cors", "allowed_origins");
                List<String> list = cors.strings("allowed_origins");
                for (String o : list) {
                    if (!o.equals("*") && (o.contains("*") || !o.contains("://"))) {
                        throw cors.invalid("allowed_origins", "must list origins like https://app.example.com "
                                + "(scheme://host[:port], no wildcard patterns) or be [\"*\"] for any origin");
                    }
                }
                origins = Optional.of(list);
            }
            return new PipelineConfig.ListenerLimits(
                    s.whole("max_connections", 1, 1_000_000).map(n -> OptionalInt.of(n.intValue()))
                            .orElse(OptionalInt.empty()),
                    s.whole("max_concurrent_streams", 1, Integer.MAX_VALUE).map(n -> OptionalInt.of(n.intValue()))
                            .orElse(OptionalInt.empty()),
                    s.duration("body_read_timeout", false), origins);
        }

        /** {@code own} and the keys every receiver listener has: Spoor's limits (one of them the Collector's too). */
        private static String[] listenerKeys(String... own) {
            List<String> keys = new ArrayList<>(List.of(own));
            keys.addAll(List.of("max_connections", "max_concurrent_streams", "body_read_timeout"));
            return keys.toArray(String[]::new);
        }

        private static Optional<Endpoint> endpoint(Section s) {
            Optional<String> text = s.string("endpoint");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            String v = text.get().strip();
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                throw s.invalid("endpoint", "must be host:port, like 0.0.0.0:4317");
            }
            String host = v.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw s.invalid("endpoint", "must be host:port, like 0.0.0.0:4317");
            }
            if (port < 0 || port > 65535) {
                throw s.invalid("endpoint", "has a port outside 0-65535");
            }
            return Optional.of(new Endpoint(host.isEmpty() ? "0.0.0.0" : host, port));
        }

        // ------------------------------------------------------------------ processors

        private boolean processor(String id, ConfigNode node) {
            String path = "processors." + id;
            switch (id.split("/", 2)[0]) {
                case "memory_limiter" -> {
                    Section s = Section.of(node, path, "check_interval", "limit_mib", "spike_limit_mib",
                            "limit_percentage", "spike_limit_percentage");
                    s.duration("check_interval", false);
                    OptionalLong limit = optional(s.whole("limit_mib", 1, Integer.MAX_VALUE));
                    OptionalLong spike = optional(s.whole("spike_limit_mib", 0, Integer.MAX_VALUE));
                    OptionalInt limitPct = optionalInt(s.whole("limit_percentage", 1, 100));
                    OptionalInt spikePct = optionalInt(s.whole("spike_limit_percentage", 0, 99));
                    if (limit.isPresent() && spike.isPresent() && spike.getAsLong() >= limit.getAsLong()) {
                        throw s.invalid("spike_limit_mib", "must be below limit_mib");
                    }
                    if (limitPct.isPresent() && spikePct.isPresent() && spikePct.getAsInt() >= limitPct.getAsInt()) {
                        throw s.invalid("spike_limit_percentage", "must be below limit_percentage");
                    }
                    if (memoryLimiterId != null) {
                        throw new ConfigException(node.where() + ": only one memory_limiter (Spoor's admission "
                                + "control) may be defined");
                    }
                    memoryLimiterId = id;
                    memoryLimiter = new MemoryLimiterConfig(limit, spike, limitPct, spikePct);
                }
                case "batch" -> {
                    Section s = Section.of(node, path, "timeout", "send_batch_size", "send_batch_max_size");
                    BatchSettings d = BatchSettings.DEFAULTS;
                    int size = s.whole("send_batch_size", 1, Integer.MAX_VALUE).orElse((long) d.sendBatchSize())
                            .intValue();
                    int max = s.whole("send_batch_max_size", 0, Integer.MAX_VALUE)
                            .orElse((long) d.sendBatchMaxSize()).intValue();
                    Duration timeout = s.duration("timeout", true).orElse(d.timeout());
                    if (max != 0 && max < size) {
                        throw s.invalid("send_batch_max_size", "must be 0 or at least send_batch_size (" + size + ")");
                    }
                    processors.put(id, new ProcessorConfig.Batch(id, new BatchSettings(size, max, timeout)));
                }
                case "probabilistic_sampler" -> {
                    Section s = Section.of(node, path, "sampling_percentage", "hash_seed");
                    if (s.has("hash_seed")) {
                        throw s.invalid("hash_seed", "is not supported: Spoor samples by trace id exactly as the "
                                + "SDKs' TraceIdRatioBased sampler does, so no seed is needed; remove it");
                    }
                    double pct = s.number("sampling_percentage", 0, 100).orElse(100.0);
                    processors.put(id, new ProcessorConfig.ProbabilisticSampler(id, pct));
                }
                case "tail_sampling" -> processors.put(id, tailSampling(id, Section.of(node, path, "decision_wait",
                        "num_traces", "expected_new_traces_per_sec", "decision_cache", "maximum_trace_size_bytes",
                        "sample_on_first_match", "policies", "wal")));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private ProcessorConfig tailSampling(String id, Section s) {
            TailSamplingSettings d = TailSamplingSettings.DEFAULTS;
            Section cache = s.section("decision_cache", "sampled_cache_size", "non_sampled_cache_size");
            TailSamplingSettings settings = new TailSamplingSettings(
                    s.duration("decision_wait", false).orElse(d.decisionWait()),
                    s.whole("num_traces", 1, Integer.MAX_VALUE).orElse((long) d.numTraces()).intValue(),
                    s.whole("expected_new_traces_per_sec", 0, Integer.MAX_VALUE)
                            .orElse((long) d.expectedNewTracesPerSec()).intValue(),
                    cache.whole("sampled_cache_size", 0, Integer.MAX_VALUE).orElse((long) d.sampledCacheSize())
                            .intValue(),
                    cache.whole("non_sampled_cache_size", 0, Integer.MAX_VALUE)
                            .orElse((long) d.nonSampledCacheSize()).intValue(),
                    s.whole("maximum_trace_size_bytes", 0, Long.MAX_VALUE).orElse(d.maximumTraceSizeBytes()),
                    s.bool("sample_on_first_match").orElse(d.sampleOnFirstMatch()));
            List<PolicySpec> policies = policies(s, "policies");
            Section wal = s.section("wal", "enabled", "directory");
            Optional<String> directory = wal.string("directory").map(String::strip);
            if (directory.isPresent() && directory.get().isEmpty()) {
                throw wal.invalid("directory", "must not be empty (leave it out for the default under the data dir)");
            }
            return new ProcessorConfig.TailSampling(id, settings, policies,
                    new PipelineConfig.TailWal(wal.bool("enabled").orElse(true), directory));
        }

        private List<PolicySpec> policies(Section parent, String key) {
            List<PolicySpec> out = new ArrayList<>();
            Set<String> names = new java.util.HashSet<>();
            for (ConfigNode item : parent.list(key)) {
                PolicySpec p = policy(item);
                if (!names.add(p.name())) {
                    throw new ConfigException(item.where() + ": policy name '" + p.name() + "' is used twice");
                }
                out.add(p);
            }
            return out;
        }

        private static final List<String> POLICY_TYPES = List.of("always_sample", "status_code", "latency",
                "probabilistic", "rate_limiting", "string_attribute", "numeric_attribute", "boolean_attribute",
                "span_count", "and", "composite", "adaptive_latency");

        private PolicySpec policy(ConfigNode node) {
            ConfigNode.MapNode map = Section.asMap(node, node.path());
            Section head = Section.anyKeys(map, map.path()); // its keys are checked against the type below
            String name = head.string("name").orElseThrow(() -> new ConfigException(node.where()
                    + ": a policy needs a name"));
            String type = head.oneOf("type", POLICY_TYPES).orElseThrow(() -> new ConfigException(node.where()
                    + ": policy '" + name + "' needs a type, one of " + POLICY_TYPES));
            for (String k : map.entries().keySet()) {
                if (!k.equals("name") && !k.equals("type") && !k.equals(type)) {
                    throw new ConfigException("unknown configuration key " + map.entries().get(k).where()
                            + " (a policy of type " + type + " has: name, type, " + type + ")");
                }
            }
            Supplier<Policy> create = policyFactory(type, head, name);
            return new PolicySpec(name, type, create);
        }

        private Supplier<Policy> policyFactory(String type, Section p, String name) {
            switch (type) {
                case "always_sample" -> {
                    p.section(type);
                    return Policies.AlwaysSample::new;
                }
                case "status_code" -> {
                    Section s = p.section(type, "status_codes");
                    EnumSet<StatusCode> codes = EnumSet.noneOf(StatusCode.class);
                    for (String c : s.strings("status_codes")) {
                        try {
                            codes.add(StatusCode.valueOf(c.strip().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw s.invalid("status_codes", "must list OK, ERROR or UNSET");
                        }
                    }
                    if (codes.isEmpty()) {
                        throw new ConfigException("'" + s.child("status_codes") + "' must list at least one of "
                                + "OK, ERROR, UNSET");
                    }
                    Set<StatusCode> frozen = Set.copyOf(codes);
                    return () -> new Policies.StatusCodes(frozen);
                }
                case "latency" -> {
                    Section s = p.section(type, "threshold_ms", "upper_threshold_ms");
                    long low = s.whole("threshold_ms", 0, Long.MAX_VALUE / 1_000_000).orElse(0L);
                    long high = s.whole("upper_threshold_ms", 0, Long.MAX_VALUE / 1_000_000).orElse(0L);
                    if (high > 0 && high < low) {
                        throw s.invalid("upper_threshold_ms", "must be 0 or at least threshold_ms");
                    }
                    return () -> new Policies.Latency(low * 1_000_000, high * 1_000_000);
                }
                case "probabilistic" -> {
                    Section s = p.section(type, "sampling_percentage", "hash_salt");
                    if (s.has("hash_salt")) {
                        throw s.invalid("hash_salt", "is not supported: Spoor chooses by trace id as the SDKs' "
                                + "TraceIdRatioBased sampler does; remove it");
                    }
                    double pct = s.number("sampling_percentage", 0, 100).orElseThrow(() -> new ConfigException(
                            "'" + s.child("sampling_percentage") + "' must be set (0-100)"));
                    return () -> new Policies.Probabilistic(TraceIdRatio.ofPercentage(pct));
                }
                case "rate_limiting" -> {
                    Section s = p.section(type, "spans_per_second");
                    long sps = s.whole("spans_per_second", 1, Long.MAX_VALUE).orElseThrow(() -> new ConfigException(
                            "'" + s.child("spans_per_second") + "' must be set"));
                    return () -> new RateLimiting(sps);
                }
                case "string_attribute" -> {
                    Section s = p.section(type, "key", "values", "enabled_regex_matching", "cache_max_size",
                            "invert_match");
                    String key = required(s, "key");
                    List<String> values = s.strings("values");
                    boolean regex = s.bool("enabled_regex_matching").orElse(false);
                    s.whole("cache_max_size", 0, Integer.MAX_VALUE);
                    boolean invert = s.bool("invert_match").orElse(false);
                    if (regex) {
                        for (String v : values) {
                            try {
                                java.util.regex.Pattern.compile(v);
                            } catch (java.util.regex.PatternSyntaxException e) {
                                throw s.invalid("values", "holds an invalid regular expression '" + v + "'");
                            }
                        }
                    }
                    return () -> new Policies.StringAttribute(key, values, regex, invert);
                }
                case "numeric_attribute" -> {
                    Section s = p.section(type, "key", "min_value", "max_value", "invert_match");
                    String key = required(s, "key");
                    double min = s.number("min_value", -Double.MAX_VALUE, Double.MAX_VALUE)
                            .orElse(-Double.MAX_VALUE);
                    double max = s.number("max_value", -Double.MAX_VALUE, Double.MAX_VALUE).orElse(Double.MAX_VALUE);
                    if (max < min) {
                        throw s.invalid("max_value", "must be at least min_value");
                    }
                    boolean invert = s.bool("invert_match").orElse(false);
                    return () -> new Policies.NumericAttribute(key, min, max, invert);
                }
                case "boolean_attribute" -> {
                    Section s = p.section(type, "key", "value", "invert_match");
                    String key = required(s, "key");
                    boolean value = s.bool("value").orElseThrow(() -> new ConfigException("'" + s.child("value")
                            + "' must be set to true or false"));
                    boolean invert = s.bool("invert_match").orElse(false);
                    return () -> new Policies.BooleanAttribute(key, value, invert);
                }
                case "span_count" -> {
                    Section s = p.section(type, "min_spans", "max_spans");
                    int min = s.whole("min_spans", 0, Integer.MAX_VALUE).orElse(0L).intValue();
                    int max = s.whole("max_spans", 0, Integer.MAX_VALUE).orElse(0L).intValue();
                    if (max > 0 && max < min) {
                        throw s.invalid("max_spans", "must be 0 or at least min_spans");
                    }
                    return () -> new Policies.SpanCount(min, max);
                }
                case "and" -> {
                    Section s = p.section(type, "and_sub_policy");
                    List<PolicySpec> subs = policies(s, "and_sub_policy");
                    if (subs.isEmpty()) {
                        throw new ConfigException("'" + s.child("and_sub_policy") + "' must list sub-policies");
                    }
                    return () -> new Policies.And(subs.stream()
                            .map(x -> new NamedPolicy(x.name(), x.create().get())).toList());
                }
                case "composite" -> {
                    return composite(p.section(type, "max_total_spans_per_second", "policy_order",
                            "composite_sub_policy", "rate_allocation"));
                }
                case "adaptive_latency" -> {
                    Section s = p.section(type, "percentile", "min_samples", "max_operations", "half_life_samples");
                    double pct = s.number("percentile", 1, 99.999).orElse(99.0);
                    long min = s.whole("min_samples", 1, Long.MAX_VALUE).orElse(100L);
                    int ops = s.whole("max_operations", 1, 1_000_000).orElse(10_000L).intValue();
                    long halfLife = s.whole("half_life_samples", 100, Long.MAX_VALUE).orElse(10_000L);
                    return () -> new AdaptiveLatency(pct, min, ops, halfLife);
                }
                default -> throw new IllegalStateException(type);
            }
        }

        private Supplier<Policy> composite(Section s) {
            long total = s.whole("max_total_spans_per_second", 1, Long.MAX_VALUE).orElseThrow(() ->
                    new ConfigException("'" + s.child("max_total_spans_per_second") + "' must be set"));
            List<PolicySpec> subs = policies(s, "composite_sub_policy");
            Map<String, PolicySpec> byName = new HashMap<>();
            subs.forEach(x -> byName.put(x.name(), x));
            List<String> order = s.strings("policy_order");
            if (order.isEmpty()) {
                order = subs.stream().map(PolicySpec::name).toList();
            }
            for (String n : order) {
                if (!byName.containsKey(n)) {
                    throw s.invalid("policy_order", "names '" + n + "', which is not in composite_sub_policy");
                }
            }
            Map<String, Double> percent = new HashMap<>();
            for (ConfigNode a : s.list("rate_allocation")) {
                Section r = Section.of(a, a.path(), "policy", "percent");
                String n = required(r, "policy");
                if (!byName.containsKey(n)) {
                    throw r.invalid("policy", "is not in composite_sub_policy");
                }
                percent.put(n, r.number("percent", 0, 100).orElse(0.0));
            }
            if (percent.values().stream().mapToDouble(Double::doubleValue).sum() > 100.0001) {
                throw new ConfigException("'" + s.child("rate_allocation") + "' allocates more than 100 percent");
            }
            List<String> finalOrder = List.copyOf(order);
            return () -> new Composite(total, finalOrder.stream().map(n -> new Composite.Member(
                    new NamedPolicy(n, byName.get(n).create().get()),
                    percent.containsKey(n) ? new RateLimiting(Math.max(1, (long) (total * percent.get(n) / 100)))
                            : null)).toList());
        }

        private static String required(Section s, String key) {
            return s.string(key).filter(v -> !v.isBlank()).orElseThrow(() -> new ConfigException(
                    "'" + s.child(key) + "'" + (s.line() > 0 ? " (line " + s.line() + ")" : "") + " must be set"));
        }

        // ------------------------------------------------------------------ exporters

        private boolean exporter(String id, ConfigNode node) {
            String path = "exporters." + id;
            switch (id.split("/", 2)[0]) {
                case "spoor" -> {
                    Section.of(node, path);
                    exporters.put(id, new ExporterConfig.Store(id));
                }
                case "otlp" -> exporters.put(id, new ExporterConfig.Otlp(id, otlp(Section.of(node, path, "endpoint",
                        "tls", "headers", "timeout", "compression", "retry_on_failure", "sending_queue"), false)));
                case "otlphttp" -> exporters.put(id, new ExporterConfig.Otlp(id, otlp(Section.of(node, path,
                        "endpoint", "traces_endpoint", "tls", "headers", "timeout", "compression", "retry_on_failure",
                        "sending_queue"), true)));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private OtlpExporterSettings otlp(Section s, boolean http) {
            Section tls = s.section("tls", "insecure");
            boolean insecure = tls.bool("insecure").orElse(false);
            URI uri;
            if (http) {
                Optional<String> traces = s.string("traces_endpoint");
                String endpoint = traces.or(() -> s.string("endpoint")).orElseThrow(() -> new ConfigException(
                        "'" + s.child("endpoint") + "'" + (s.line() > 0 ? " (line " + s.line() + ")" : "")
                                + " must be set, e.g. http://backend:4318"));
                String key = traces.isPresent() ? "traces_endpoint" : "endpoint";
                uri = url(s, key, endpoint);
                if (traces.isEmpty()) {
                    String base = uri.getRawPath() == null ? "" : uri.getRawPath();
                    uri = uri.resolve((base.endsWith("/") ? base : base + "/") + "v1/traces");
                }
            } else {
                String endpoint = s.string("endpoint").orElseThrow(() -> new ConfigException("'" + s.child("endpoint")
                        + "'" + (s.line() > 0 ? " (line " + s.line() + ")" : "") + " must be set, e.g. backend:4317"));
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
            return new OtlpExporterSettings(http ? OtlpExporterSettings.Protocol.HTTP
                    : OtlpExporterSettings.Protocol.GRPC, uri, headers, timeout, gzip, retry, queue);
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

        // ------------------------------------------------------------------ spoor

        private static final String[] SPOOR_KEYS = {"storage", "query", "http"};

        private static PipelineConfig.QueryConfig query(Section root) {
            Section q = root.section("spoor", SPOOR_KEYS).section("query", "adjust_clock_skew",
                    "max_clock_skew", "max_trace_spans", "max_search_traces", "cors");
            Section cors = q.section("cors", "allowed_origins");
            PipelineConfig.QueryConfig d = PipelineConfig.QueryConfig.DEFAULTS;
            return new PipelineConfig.QueryConfig(q.bool("adjust_clock_skew").orElse(d.adjustClockSkew()),
                    q.duration("max_clock_skew", true).orElse(d.maxClockSkew()),
                    q.whole("max_trace_spans", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(d.maxTraceSpans()),
                    q.whole("max_search_traces", 1, 10_000).map(Long::intValue).orElse(d.maxSearchTraces()),
                    cors.strings("allowed_origins"));
        }

        private static PipelineConfig.HttpConfig http(Section root) {
            Section h = root.section("spoor", SPOOR_KEYS).section("http", "allowed_hosts");
            return new PipelineConfig.HttpConfig(h.strings("allowed_hosts"));
        }

        private static PipelineConfig.StorageConfig spoor(Section root) {
            Section spoor = root.section("spoor", SPOOR_KEYS);
            Section st = spoor.section("storage", "retention", "max_disk_mib", "fsync", "fsync_interval");
            return new PipelineConfig.StorageConfig(
                    st.duration("retention", false),
                    optional(st.whole("max_disk_mib", 0, Long.MAX_VALUE / (1024 * 1024))),
                    st.oneOf("fsync", FSYNC_POLICIES),
                    st.duration("fsync_interval", false));
        }

        private static OptionalLong optional(Optional<Long> v) {
            return v.map(OptionalLong::of).orElse(OptionalLong.empty());
        }

        private static OptionalInt optionalInt(Optional<Long> v) {
            return v.map(x -> OptionalInt.of(x.intValue())).orElse(OptionalInt.empty());
        }
    }
}
