package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.PipelineConfig;
import io.spoor.server.receiver.ReceiverSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the composition root needs: where to listen, where the data lives, the pipeline configuration (the
 * Collector-shaped file, read by {@link io.spoor.pipeline.config.ConfigLoader}) and the receivers' network limits.
 * Everything has a default, so no file is needed; command-line flags override the file.
 */
public record SpoorConfig(Network network, Path dataDir, PipelineConfig pipeline, ReceiverSettings receivers) {

    public static final int DEFAULT_OTLP_GRPC_PORT = 4317;
    public static final int DEFAULT_OTLP_HTTP_PORT = 4318;
    public static final int DEFAULT_HTTP_PORT = 16686;
    public static final int DEFAULT_ZIPKIN_PORT = 9411;
    public static final String DEFAULT_BIND = "127.0.0.1";

    public SpoorConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(receivers, "receivers");
    }

    /** With the receivers' default limits. */
    public SpoorConfig(Network network, Path dataDir, PipelineConfig pipeline) {
        this(network, dataDir, pipeline, ReceiverSettings.DEFAULTS);
    }

    public static SpoorConfig defaults() {
        return new SpoorConfig(Network.DEFAULTS, Path.of("data"), PipelineConfig.defaults());
    }

    public SpoorConfig withNetwork(Network v) {
        return new SpoorConfig(v, dataDir, pipeline, receivers);
    }

    public SpoorConfig withDataDir(Path v) {
        return new SpoorConfig(network, v, pipeline, receivers);
    }

    public SpoorConfig withPipeline(PipelineConfig v) {
        return new SpoorConfig(network, dataDir, v, receivers);
    }

    public SpoorConfig withReceivers(ReceiverSettings v) {
        return new SpoorConfig(network, dataDir, pipeline, v);
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
