package io.spoor.server.receiver.zipkin;

import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.ReceiverSettings;
import java.util.Optional;

/** {@code receivers.zipkin}: its endpoint as the file writes it (the flag {@code --zipkin-port} wins) and its listener. */
public record ZipkinReceiverConfig(Optional<Endpoint> endpoint, ReceiverSettings.Listener listener) {
    public static final ZipkinReceiverConfig DEFAULTS = new ZipkinReceiverConfig(Optional.empty(),
            ReceiverSettings.Listener.DEFAULTS);

    public ZipkinReceiverConfig withListener(ReceiverSettings.Listener v) {
        return new ZipkinReceiverConfig(endpoint, v);
    }
}
