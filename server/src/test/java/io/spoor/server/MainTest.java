package io.spoor.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.pipeline.batch.BatchSettings;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.receiver.ReceiverSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private static SpoorConfig resolve(String... args) {
        Main.ServerCommand cmd = new Main.ServerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.resolve();
    }

    @Test
    void defaultsNeedNoFile() {
        SpoorConfig c = resolve();
        assertThat(c.network()).isEqualTo(new SpoorConfig.Network("127.0.0.1", 4317, 4318, 16686));
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    }

    @Test
    void flagsOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spoor.yaml");
        Files.writeString(file, "processors:\n  batch:\n    send_batch_size: 10\n");
        SpoorConfig c = resolve("--config", file.toString(), "--data-dir", dir.toString(), "--otlp-grpc-port", "0",
                "--otlp-http-port", "14318", "--http-port", "0", "--bind", "0.0.0.0");
        assertThat(c.network()).isEqualTo(new SpoorConfig.Network("0.0.0.0", 0, 14318, 0));
        assertThat(c.dataDir()).isEqualTo(dir);
        assertThat(c.pipeline().processors()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("batch");
            assertThat(p.config()).isEqualTo(new BatchSettings(10, 0, java.time.Duration.ofMillis(5)));
        });
    }

    @Test
    void aConfigErrorExitsWithCode2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spoor.yaml");
        Files.writeString(file, "exporters:\n  jaeger: {endpoint: jaeger:14250}\n");
        int code = new CommandLine(new Main()).execute("server", "--config", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(new CommandLine(new Main()).execute("server", "--http-port", "70000")).isEqualTo(2);
    }

    @Test
    void theReceiversEndpointsSetPortsAndAddressUnlessFlagsOverride(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, """
                receivers: { otlp: { protocols: { http: { endpoint: 0.0.0.0:14318 }, grpc: { endpoint: 0.0.0.0:14317 } } } }
                """);
        SpoorConfig fromFile = resolve("--config", file.toString());
        assertThat(fromFile.network()).isEqualTo(new SpoorConfig.Network("0.0.0.0", 14317, 14318, 16686));
        SpoorConfig flags = resolve("--config", file.toString(), "--otlp-grpc-port", "0", "--bind", "127.0.0.1");
        assertThat(flags.network()).isEqualTo(new SpoorConfig.Network("127.0.0.1", 0, 14318, 16686));
    }

    @Test
    void setsTheZipkinPortAndSwitchesClockSkewAdjustmentOff() {
        SpoorConfig c = resolve("--zipkin-port", "19411", "--no-clock-skew-adjustment");
        assertThat(c.network().zipkinPort()).isEqualTo(19411);
        assertThat(c.query().adjustClockSkew()).isFalse();
        assertThat(resolve().network().zipkinPort()).isEqualTo(9411);
        assertThat(resolve().query().adjustClockSkew()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolve("--zipkin-port", "70000"))
                .hasMessageContaining("--zipkin-port");
    }

    @Test
    void theReceiversSectionSetsEachListenersLimitsOverTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spoor.yaml");
        Files.writeString(file, """
                receivers:
                  otlp:
                    protocols:
                      grpc: {max_concurrent_streams: 10}
                      http: {cors: {allowed_origins: ["https://app.example.com"]}, body_read_timeout: 2s}
                  zipkin: {endpoint: 127.0.0.1:19411, max_connections: 5}
                """);
        SpoorConfig c = resolve("--config", file.toString());
        ReceiverSettings.Listener d = ReceiverSettings.Listener.DEFAULTS;
        assertThat(c.receivers()).isEqualTo(new ReceiverSettings(
                new ReceiverSettings.Listener(d.maxConnections(), 10, d.bodyReadTimeout()),
                new ReceiverSettings.Listener(d.maxConnections(), d.maxConcurrentStreams(), Duration.ofSeconds(2),
                        List.of("https://app.example.com")),
                new ReceiverSettings.Listener(5, d.maxConcurrentStreams(), d.bodyReadTimeout())));
        assertThat(c.network().zipkinPort()).isEqualTo(19411);
        assertThat(resolve("--config", file.toString(), "--zipkin-port", "0").network().zipkinPort()).isZero();
        assertThat(resolve().receivers()).isEqualTo(ReceiverSettings.DEFAULTS);
    }
}
