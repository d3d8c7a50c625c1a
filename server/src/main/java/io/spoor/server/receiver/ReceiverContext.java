package io.spoor.server.receiver;

import com.linecorp.armeria.server.ServerBuilder;
import io.spoor.pipeline.TracesPipeline;
import io.spoor.server.config.SpoorConfig;

/**
 * What a receiver is created with: the traces pipeline (its next stage; bodies are admitted against it as they
 * arrive), the receiver core every transport shares, the resolved listening addresses (flags over the file), and a
 * way to open a listener.
 */
public record ReceiverContext(TracesPipeline pipeline, SpanReceiver receiver, SpoorConfig.Network network,
                              Listeners listeners) {

    /** Opens listeners; the composition root starts and stops them with the server. */
    @FunctionalInterface
    public interface Listeners {
        /**
         * A server builder for the listener {@code what} ({@code OTLP/gRPC}: how start-up errors and the composition
         * root name it) on {@code port} of the bind address, with the shared event loops, the decoding executor, the
         * host check, and {@code limits}' caps on connections and HTTP/2 streams. {@code portFlag} is the flag that
         * sets the port, named when the port is taken.
         */
        ServerBuilder listen(String what, int port, String portFlag, ReceiverSettings.Listener limits);
    }
}
