package io.spoor.server.receiver;

import java.util.Optional;

/**
 * {@code receivers.otlp}: the endpoints of its two protocols as the file writes them; empty = Spoor's defaults (or
 * the command-line flags, which win). Spoor always runs both protocols.
 */
public record OtlpReceiverConfig(Optional<Endpoint> grpc, Optional<Endpoint> http) {
    public static final OtlpReceiverConfig DEFAULTS = new OtlpReceiverConfig(Optional.empty(), Optional.empty());
}
