package io.spoor.server.receiver.otlp;

import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.ReceiverSettings;
import java.util.Optional;

/**
 * {@code receivers.otlp}: the endpoints of its two protocols as the file writes them (empty = Spoor's defaults or the
 * command-line flags, which win) and each protocol's listener settings. Spoor always runs both protocols.
 */
public record OtlpReceiverConfig(Optional<Endpoint> grpc, Optional<Endpoint> http, ReceiverSettings.Listener grpcListener,
                                 ReceiverSettings.Listener httpListener) {
    public static final OtlpReceiverConfig DEFAULTS = new OtlpReceiverConfig(Optional.empty(), Optional.empty(),
            ReceiverSettings.Listener.DEFAULTS, ReceiverSettings.Listener.DEFAULTS);

    public OtlpReceiverConfig withListeners(ReceiverSettings.Listener grpcV, ReceiverSettings.Listener httpV) {
        return new OtlpReceiverConfig(grpc, http, grpcV, httpV);
    }
}
