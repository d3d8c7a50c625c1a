package io.spoor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.pipeline.ExporterConfig;
import io.spoor.pipeline.PipelineConfig;
import io.spoor.pipeline.ProcessorConfig;
import io.spoor.pipeline.batch.BatchProcessorFactory;
import io.spoor.pipeline.batch.BatchSettings;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.export.OtlpExporterSettings;
import io.spoor.pipeline.export.StoreExporterFactory;
import io.spoor.pipeline.sampling.tail.PolicySpec;
import io.spoor.pipeline.sampling.tail.TailSamplingConfig;
import io.spoor.pipeline.sampling.tail.TailWal;
import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.receiver.otlp.OtlpReceiverConfig;
import io.spoor.server.receiver.otlp.OtlpReceiverFactory;
import io.spoor.server.receiver.zipkin.ZipkinReceiverConfig;
import io.spoor.server.receiver.zipkin.ZipkinReceiverFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static ConfigFile parse(String yaml) {
        return ConfigLoader.parse(yaml, NO_ENV::get);
    }

    @Test
    void theCollectorConfigFromTheIssueLoadsAsIs() {
        ConfigFile file = parse("""
                receivers: { otlp: { protocols: { http: { endpoint: 0.0.0.0:4318 }, grpc: { endpoint: 0.0.0.0:4317 } } } }
                processors: { batch: { timeout: 1s, send_batch_size: 1024 }, memory_limiter: { limit_mib: 512 } }
                exporters: { otlp/tempo: { endpoint: tempo:4317 } }
                service: { pipelines: { traces: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/tempo] } } }
                """);
        OtlpReceiverConfig receiver = file.receiver(new OtlpReceiverFactory());
        assertThat(receiver.grpc()).contains(new Endpoint("0.0.0.0", 4317));
        assertThat(receiver.http()).contains(new Endpoint("0.0.0.0", 4318));
        PipelineConfig c = file.pipeline();
        assertThat(c.memoryLimiter().limitMib()).isEqualTo(OptionalLong.of(512));
        assertThat(c.processors()).containsExactly(new ProcessorConfig<>("batch", new BatchProcessorFactory(),
                new BatchSettings(1024, 0, Duration.ofSeconds(1))));
        assertThat(c.exporters()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("otlp/tempo");
            OtlpExporterSettings settings = (OtlpExporterSettings) o.config();
            assertThat(settings.protocol()).isEqualTo(OtlpExporterSettings.Protocol.GRPC);
            // a bare host:port is TLS in the Collector, so it is here too
            assertThat(settings.endpoint()).isEqualTo(URI.create("https://tempo:4317"));
            assertThat(settings.gzip()).isTrue();
            assertThat(settings.queue().queueSize()).isEqualTo(1000);
        });
    }

    @Test
    void noFileMeansMemoryLimiterBatchAndTheStore() {
        assertThat(parse("")).isEqualTo(ConfigFile.defaults());
        assertThat(parse("").pipeline()).isEqualTo(PipelineConfig.defaults());
        assertThat(PipelineConfig.defaults().exporters()).containsExactly(
                new ExporterConfig<>("spoor", new StoreExporterFactory(), new StoreExporterFactory.Config()));
        assertThat(PipelineConfig.defaults().processors()).containsExactly(
                new ProcessorConfig<>("batch", new BatchProcessorFactory(), BatchSettings.DEFAULTS));
    }

    @Test
    void componentsSpoorLacksAreNamedTogetherInOneErrorWithTheirReplacement() {
        assertThatThrownBy(() -> parse("""
                receivers:
                  otlp: {}
                exporters:
                  jaeger:
                    endpoint: jaeger:14250
                  debug: {}
                extensions:
                  health_check: {}
                service:
                  pipelines:
                    traces: {receivers: [otlp], exporters: [jaeger]}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'exporters.jaeger' (line 4): the jaeger exporter was removed")
                .hasMessageContaining("use the otlp exporter")
                .hasMessageContaining("'exporters.debug' (line 6)")
                .hasMessageContaining("'extensions.health_check' (line 8): Spoor serves GET /health");
    }

    @Test
    void anUnknownKeyIsOneErrorNamingTheKeyAndItsLine() {
        assertThatThrownBy(() -> parse("processors:\n  batch:\n    timeuot: 1s\n"))
                .hasMessage("unknown configuration key 'processors.batch.timeuot' (line 3) (known under "
                        + "processors.batch: [send_batch_max_size, send_batch_size, timeout])");
        assertThatThrownBy(() -> parse("""
                processors:
                  tail_sampling:
                    policies:
                      - name: errors
                        type: status_code
                        status_code: {status_codes: [ERROR], colour: red}
                """)).hasMessageStartingWith("unknown configuration key "
                + "'processors.tail_sampling.policies[0].status_code.colour' (line 6)");
        assertThatThrownBy(() -> parse("spoor:\n  ui: {}\n"))
                .hasMessageStartingWith("unknown configuration key 'spoor.ui' (line 2)");
    }

    @Test
    void anInvalidValueNamesTheKeyItsLineAndTheValue() {
        assertThatThrownBy(() -> parse("processors:\n  batch:\n    timeout: soon\n"))
                .hasMessageStartingWith("'processors.batch.timeout' (line 3) must be a duration");
        assertThatThrownBy(() -> parse("processors:\n  memory_limiter:\n    limit_mib: lots\n"))
                .hasMessage("'processors.memory_limiter.limit_mib' (line 3) must be a whole number, got 'lots'");
        assertThatThrownBy(() -> parse("""
                processors:
                  tail_sampling:
                    policies: [{name: p, type: probabilistic, probabilistic: {sampling_percentage: 150}}]
                """)).hasMessageContaining("sampling_percentage' (line 3) must be between 0.0 and 100.0, got '150'");
        assertThatThrownBy(() -> parse("""
                processors:
                  tail_sampling:
                    policies: [{name: p, type: sometimes}]
                """)).hasMessageContaining("policies[0].type' (line 3) must be one of");
        assertThatThrownBy(() -> parse("spoor:\n  storage:\n    fsync: sometimes\n"))
                .hasMessageContaining("'spoor.storage.fsync' (line 3) must be one of [none, interval, every_batch]");
        assertThatThrownBy(() -> parse("service:\n  pipelines:\n    traces:\n      exporters: [nowhere]\n"))
                .hasMessage("'service.pipelines.traces.exporters' (line 4): 'nowhere' is not defined under exporters");
        assertThatThrownBy(() -> parse("processors:\n  batch: {\n")).hasMessageStartingWith("invalid YAML at line");
    }

    @Test
    void readsTheQueryBoundsCorsOriginsAndAllowedHosts() {
        ConfigFile c = parse("""
                spoor:
                  query:
                    max_trace_spans: 5000
                    max_search_traces: 100
                    cors:
                      allowed_origins: ["http://localhost:5173", "https://grafana.example"]
                  http:
                    allowed_hosts: [tracing.example.com]
                """);
        assertThat(c.query().maxTraceSpans()).isEqualTo(5000);
        assertThat(c.query().maxSearchTraces()).isEqualTo(100);
        assertThat(c.query().corsAllowedOrigins()).containsExactly("http://localhost:5173", "https://grafana.example");
        assertThat(c.http().allowedHosts()).containsExactly("tracing.example.com");
        ConfigFile none = parse("spoor: {}\n");
        assertThat(none.query().corsAllowedOrigins()).as("same origin only by default").isEmpty();
        assertThat(none.query().maxTraceSpans()).isEqualTo(200_000);
        assertThat(none.query().maxSearchTraces()).isEqualTo(1_500);
        assertThat(none.http().allowedHosts()).isEmpty();
        assertThatThrownBy(() -> parse("spoor:\n  query:\n    max_search_traces: 20000\n"))
                .hasMessageContaining("'spoor.query.max_search_traces' (line 3) must be between 1 and 10000");
        assertThatThrownBy(() -> parse("spoor:\n  query:\n    cors:\n      allowed_origin: [x]\n"))
                .hasMessageStartingWith("unknown configuration key 'spoor.query.cors.allowed_origin' (line 4)");
        assertThatThrownBy(() -> parse("spoor:\n  http:\n    allowed_hosts: tracing.example.com\n"))
                .hasMessageContaining("must be a list");
    }

    @Test
    void environmentVariablesAreSubstituted() {
        Map<String, String> env = Map.of("TEMPO", "tempo.internal:4317", "QUEUE", "50");
        ConfigFile c = ConfigLoader.parse("""
                exporters:
                  otlp:
                    endpoint: ${env:TEMPO}
                    tls: {insecure: true}
                    sending_queue: {queue_size: "${QUEUE}"}
                    headers: {x-cost: "$$5", x-team: "${env:TEAM:-tracing}"}
                service: {pipelines: {traces: {exporters: [otlp, spoor]}}}
                """, env::get);
        OtlpExporterSettings otlp = (OtlpExporterSettings) c.pipeline().exporters().getFirst().config();
        assertThat(otlp.endpoint()).isEqualTo(URI.create("http://tempo.internal:4317"));
        assertThat(otlp.queue().queueSize()).isEqualTo(50);
        assertThat(otlp.headers()).isEqualTo(Map.of("x-cost", "$5", "x-team", "tracing"));
        assertThatThrownBy(() -> ConfigLoader.parse("exporters:\n  otlp:\n    endpoint: ${env:NOPE}\n", env::get))
                .hasMessageStartingWith("'exporters.otlp.endpoint' (line 3): environment variable NOPE is not set");
    }

    @Test
    void theRecommendedProductionPipelineFromTheDocsLoads() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        String yaml = docs.substring(docs.indexOf("```yaml", docs.indexOf("## Recommended production pipeline")) + 7);
        yaml = yaml.substring(0, yaml.indexOf("```"));
        PipelineConfig c = ConfigLoader.parse(yaml, NO_ENV::get).pipeline();
        assertThat(c.processors()).extracting(ProcessorConfig::id).containsExactly("tail_sampling", "batch");
        TailSamplingConfig ts = (TailSamplingConfig) c.processors().getFirst().config();
        assertThat(ts.policies()).extracting(PolicySpec::type)
                .containsExactly("status_code", "adaptive_latency", "probabilistic");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml does not exist");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "spoor:\n  storage:\n    retention: 0s\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad)).hasMessage(bad + ": 'spoor.storage.retention' (line 3) "
                + "must be longer than zero, got '0s'");
    }

    private static TailSamplingConfig tail(ConfigFile file) {
        return (TailSamplingConfig) file.pipeline().processors().getFirst().config();
    }

    private static String withTailPipeline(String processors) {
        return "processors:\n" + processors + "exporters: {spoor: {}}\n"
                + "service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [spoor]}}}\n";
    }

    @Test
    void theTailSamplingLogIsOnByDefaultAndCanBeMovedOrTurnedOff() {
        TailSamplingConfig byDefault = tail(parse(withTailPipeline("  tail_sampling: {}\n")));
        assertThat(byDefault.wal()).isEqualTo(TailWal.DEFAULTS);
        assertThat(byDefault.wal().enabled()).isTrue();
        TailSamplingConfig moved = tail(parse(
                withTailPipeline("  tail_sampling:\n    wal: {directory: /fast/disk/tail}\n")));
        assertThat(moved.wal()).isEqualTo(new TailWal(true, java.util.Optional.of("/fast/disk/tail")));
        TailSamplingConfig off = tail(parse(withTailPipeline("  tail_sampling:\n    wal: {enabled: false}\n")));
        assertThat(off.wal().enabled()).isFalse();
    }

    @Test
    void anUnknownOrBadKeyUnderTheTailSamplingLogIsNamed() {
        assertThatThrownBy(() -> parse("processors:\n  tail_sampling:\n    wal:\n      enabeld: false\n"))
                .hasMessage("unknown configuration key 'processors.tail_sampling.wal.enabeld' (line 4) (known under "
                        + "processors.tail_sampling.wal: [directory, enabled])");
        assertThatThrownBy(() -> parse("processors:\n  tail_sampling:\n    wal:\n      enabled: sometimes\n"))
                .hasMessageStartingWith("'processors.tail_sampling.wal.enabled' (line 4) must be true or false");
        assertThatThrownBy(() -> parse("processors:\n  tail_sampling:\n    wal: on\n"))
                .hasMessageContaining("processors.tail_sampling.wal' (line 3) must be a mapping");
    }

    @Test
    void readsSpoorLimitsWithTheOpenTelemetryNamesAndKeepsTheDefaultsOfTheRest() {
        ConfigFile c = ConfigLoader.parse("""
                spoor:
                  limits:
                    attribute_value_length_limit: 4096
                    attribute_count_limit: 64
                    event_count_limit: 10
                    link_count_limit: 11
                    event_attribute_count_limit: 12
                    link_attribute_count_limit: 13
                    span_name_length_limit: 200
                    service_name_length_limit: 100
                    attribute_key_length_limit: 64
                    event_name_length_limit: 50
                    max_spans_per_request: 5000
                    max_bytes_per_trace: 5000000
                    trace_bytes_window: 2m
                    max_tracked_traces: 1000
                    max_span_age: 3d
                    max_time_ahead: 10m
                """, k -> null);
        var l = c.limits();
        assertThat(List.of(l.attributeValueLengthLimit(), l.attributeCountLimit(), l.eventCountLimit(),
                l.linkCountLimit(), l.eventAttributeCountLimit(), l.linkAttributeCountLimit(), l.spanNameLengthLimit(),
                l.serviceNameLengthLimit(), l.attributeKeyLengthLimit(), l.eventNameLengthLimit(),
                l.maxSpansPerRequest(), l.maxTrackedTraces()))
                .containsExactly(4096, 64, 10, 11, 12, 13, 200, 100, 64, 50, 5000, 1000);
        assertThat(l.maxBytesPerTrace()).isEqualTo(5_000_000L);
        assertThat(l.traceBytesWindow()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(l.maxSpanAge()).contains(java.time.Duration.ofDays(3));
        assertThat(l.maxTimeAhead()).isEqualTo(java.time.Duration.ofMinutes(10));

        var partial = ConfigLoader.parse("spoor: { limits: { span_name_length_limit: 300 } }", k -> null).limits();
        assertThat(partial).isEqualTo(io.spoor.pipeline.limits.SpanLimitsSettings.DEFAULTS.toBuilder()
                .spanNameLengthLimit(300).build());
        assertThat(ConfigLoader.parse("spoor: {}", k -> null).limits())
                .isEqualTo(io.spoor.pipeline.limits.SpanLimitsSettings.DEFAULTS);
    }

    @Test
    void refusesUnknownAndOutOfRangeLimitsNamingKeyAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                spoor:
                  limits:
                    attribute_value_lenght_limit: 10
                """, k -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'spoor.limits.attribute_value_lenght_limit' (line 3)");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                spoor:
                  limits:
                    attribute_key_length_limit: 8
                """, k -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'spoor.limits.attribute_key_length_limit' (line 3)");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                spoor:
                  limits:
                    max_tracked_traces: 100000000000
                """, k -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'spoor.limits.max_tracked_traces' (line 3)");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                spoor:
                  limits:
                    max_span_age: 0s
                """, k -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'spoor.limits.max_span_age' (line 3)");
    }

    @Test
    void readsEachReceiverListenersLimitsAndAllowedOrigins() {
        ConfigFile c = parse("""
                receivers:
                  otlp:
                    protocols:
                      grpc: {endpoint: 0.0.0.0:4317, max_concurrent_streams: 50, max_connections: 200}
                      http:
                        endpoint: 0.0.0.0:4318
                        body_read_timeout: 3s
                        cors: {allowed_origins: ["https://app.example.com", "http://localhost:5173"]}
                  zipkin:
                    endpoint: 0.0.0.0:9412
                    cors: {allowed_origins: ["*"]}
                service:
                  pipelines:
                    traces: {receivers: [otlp, zipkin], exporters: [spoor]}
                """);
        ReceiverSettings.Listener d = ReceiverSettings.Listener.DEFAULTS;
        OtlpReceiverConfig otlp = c.receiver(new OtlpReceiverFactory());
        assertThat(otlp.grpcListener()).isEqualTo(new ReceiverSettings.Listener(200, 50, d.bodyReadTimeout()));
        assertThat(otlp.httpListener()).isEqualTo(new ReceiverSettings.Listener(d.maxConnections(),
                d.maxConcurrentStreams(), Duration.ofSeconds(3),
                List.of("https://app.example.com", "http://localhost:5173")));
        ZipkinReceiverConfig zipkin = c.receiver(new ZipkinReceiverFactory());
        assertThat(zipkin.endpoint()).contains(new Endpoint("0.0.0.0", 9412));
        assertThat(zipkin.listener().allowedOrigins()).containsExactly("*");
        assertThat(parse("receivers: {otlp: {}}").receiver(new OtlpReceiverFactory()).httpListener()).isEqualTo(d);
    }

    @Test
    void aBadReceiverLimitOrOriginIsNamedWithItsLine() {
        assertThatThrownBy(() -> parse("""
                receivers:
                  otlp:
                    protocols:
                      http:
                        cors: {allowed_origins: ["https://*.example.com"]}
                """)).hasMessageContaining("'receivers.otlp.protocols.http.cors.allowed_origins' (line 5)")
                .hasMessageContaining("no wildcard patterns");
        assertThatThrownBy(() -> parse("receivers:\n  zipkin:\n    max_connections: 0\n"))
                .hasMessageContaining("'receivers.zipkin.max_connections' (line 3) must be between 1 and 1000000");
        assertThatThrownBy(() -> parse("receivers:\n  otlp:\n    protocols:\n      grpc:\n        cors: {}\n"))
                .hasMessageContaining("unknown configuration key 'receivers.otlp.protocols.grpc.cors'");
        assertThatThrownBy(() -> parse("receivers:\n  otlp:\n    protocols:\n      http:\n"
                + "        body_read_timeout: 0s\n")).hasMessageContaining("must be longer than zero");
    }
}
