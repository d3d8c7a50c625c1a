package io.spoor.server.receiver;

import io.spoor.pipeline.config.Section;
import java.util.Optional;

/** {@code host:port} as the Collector writes a listening endpoint. */
public record Endpoint(String host, int port) {

    /** Reads {@code s.endpoint} if it is there. */
    public static Optional<Endpoint> read(Section s) {
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
}
