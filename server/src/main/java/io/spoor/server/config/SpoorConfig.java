package io.spoor.server.config;

import io.spoor.pipeline.PipelineConfig;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.limits.SpanLimitsSettings;
import io.spoor.server.receiver.ReceiverConfig;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.receiver.otlp.OtlpReceiverConfig;
import io.spoor.server.receiver.otlp.OtlpReceiverFactory;
import io.spoor.server.receiver.zipkin.ZipkinReceiverConfig;
import io.spoor.server.receiver.zipkin.ZipkinReceiverFactory;
import io.spoor.server.storage.StorageConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the composition root needs: where to listen, where the data lives (both from the command line, which may take
 * the listening addresses from the file's receivers), and the configuration file ({@link ConfigFile}, read by
 * {@link ConfigLoader}). Everything has a default, so no file is needed; command-line flags override the file.
 */
public record SpoorConfig(Network network, Path dataDir, ConfigFile file) {

    public static final int DEFAULT_OTLP_GRPC_PORT = 4317;
    public static final int DEFAULT_OTLP_HTTP_PORT = 4318;
    public static final int DEFAULT_HTTP_PORT = 16686;
    public static final int DEFAULT_ZIPKIN_PORT = 9411;
    public static final String DEFAULT_BIND = "127.0.0.1";

    public SpoorConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(file, "file");
    }

    public static SpoorConfig defaults() {
        return new SpoorConfig(Network.DEFAULTS, Path.of("data"), ConfigFile.defaults());
    }

    public PipelineConfig pipeline() {
        return file.pipeline();
    }

    public StorageConfig storage() {
        return file.storage();
    }

    public QueryConfig query() {
        return file.query();
    }

    public HttpConfig http() {
        return file.http();
    }

    public SpanLimitsSettings limits() {
        return file.limits();
    }

    /** Every receiver listener's network settings, as the receivers' sections set them. */
    public ReceiverSettings receivers() {
        OtlpReceiverConfig otlp = file.receiver(new OtlpReceiverFactory());
        return new ReceiverSettings(otlp.grpcListener(), otlp.httpListener(),
                file.receiver(new ZipkinReceiverFactory()).listener());
    }

    public SpoorConfig withNetwork(Network v) {
        return new SpoorConfig(v, dataDir, file);
    }

    public SpoorConfig withDataDir(Path v) {
        return new SpoorConfig(network, v, file);
    }

    public SpoorConfig withFile(ConfigFile v) {
        return new SpoorConfig(network, dataDir, v);
    }

    public SpoorConfig withPipeline(PipelineConfig v) {
        return withFile(file.withPipeline(v));
    }

    public SpoorConfig withQuery(QueryConfig v) {
        return withFile(file.withQuery(v));
    }

    public SpoorConfig withHttp(HttpConfig v) {
        return withFile(file.withHttp(v));
    }

    public SpoorConfig withLimits(SpanLimitsSettings v) {
        return withFile(file.withLimits(v));
    }

    /** With these listener settings in the receivers' configurations. */
    public SpoorConfig withReceivers(ReceiverSettings v) {
        OtlpReceiverFactory otlp = new OtlpReceiverFactory();
        ZipkinReceiverFactory zipkin = new ZipkinReceiverFactory();
        ZipkinReceiverConfig z = file.receiver(zipkin).withListener(v.zipkin());
        return withFile(file
                .withReceiver(new ReceiverConfig<>(otlp.type(), otlp, file.receiver(otlp)
                        .withListeners(v.otlpGrpc(), v.otlpHttp())))
                .withReceiver(new ReceiverConfig<>(zipkin.type(), zipkin, z)));
    }

    /** Listening ports (0 = ephemeral) and the address every port binds to. */
    public record Network(String bind, int otlpGrpcPort, int otlpHttpPort, int httpPort, int zipkinPort) {
        public static final Network DEFAULTS = new Network(DEFAULT_BIND, DEFAULT_OTLP_GRPC_PORT,
                DEFAULT_OTLP_HTTP_PORT, DEFAULT_HTTP_PORT, DEFAULT_ZIPKIN_PORT);

        public Network {
            Objects.requireNonNull(bind, "bind");
            checkPort("--otlp-grpc-port", otlpGrpcPort);
            checkPort("--otlp-http-port", otlpHttpPort);
            checkPort("--http-port", httpPort);
            checkPort("--zipkin-port", zipkinPort);
        }

        /** With the default Zipkin port. */
        public Network(String bind, int otlpGrpcPort, int otlpHttpPort, int httpPort) {
            this(bind, otlpGrpcPort, otlpHttpPort, httpPort, DEFAULT_ZIPKIN_PORT);
        }

        private static void checkPort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigException(name + ": port must be between 0 and 65535, got " + port);
            }
        }
    }
}
