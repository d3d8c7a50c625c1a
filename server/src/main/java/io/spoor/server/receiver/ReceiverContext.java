package io.spoor.server.receiver;

import com.linecorp.armeria.server.ServerBuilder;
import io.spoor.pipeline.TracesPipeline;
import io.spoor.server.config.SpoorConfig;

/**
 * What a receiver is created with: the traces pipeline (its next stage), the receivers' metrics, the resolved
 * listening addresses (flags over the file), and a way to open a listener.
 */
public record ReceiverContext(TracesPipeline pipeline, ReceiverMetrics metrics, SpoorConfig.Network network,
                              Listeners listeners) {

    /** Opens listeners; the composition root starts and stops them with the server. */
    @FunctionalInterface
    public interface Listeners {
        /**
         * A server builder for a listener called {@code name} (e.g. {@code otlp/grpc}, how the composition root finds
         * its port) on {@code port} of the bind address, with the shared event loops and the decoding executor.
         */
        ServerBuilder listen(String name, int port);
    }
}
