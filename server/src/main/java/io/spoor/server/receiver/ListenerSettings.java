package io.spoor.server.receiver;

import io.spoor.pipeline.config.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys every receiver listener has ({@code max_connections}, {@code max_concurrent_streams},
 * {@code body_read_timeout}, and for HTTP listeners {@code cors.allowed_origins}), read in one place for every
 * receiver factory into a {@link ReceiverSettings.Listener} over its defaults.
 */
public final class ListenerSettings {
    private static final List<String> KEYS = List.of("max_connections", "max_concurrent_streams", "body_read_timeout");

    private ListenerSettings() {
    }

    /** {@code own} plus the keys every listener has. */
    public static String[] keys(String... own) {
        List<String> keys = new ArrayList<>(List.of(own));
        keys.addAll(KEYS);
        return keys.toArray(String[]::new);
    }

    /** The listener settings {@code s} writes, the defaults for the rest; {@code http}: it may have {@code cors}. */
    public static ReceiverSettings.Listener read(Section s, boolean http) {
        ReceiverSettings.Listener d = ReceiverSettings.Listener.DEFAULTS;
        Optional<List<String>> origins = Optional.empty();
        if (http && s.has("cors")) {
            Section cors = s.section("cors", "allowed_origins");
            List<String> list = cors.strings("allowed_origins");
            for (String o : list) {
                if (!o.equals("*") && (o.contains("*") || !o.contains("://"))) {
                    throw cors.invalid("allowed_origins", "must list origins like https://app.example.com "
                            + "(scheme://host[:port], no wildcard patterns) or be [\"*\"] for any origin");
                }
            }
            origins = Optional.of(list);
        }
        return new ReceiverSettings.Listener(
                s.whole("max_connections", 1, 1_000_000).map(Long::intValue).orElse(d.maxConnections()),
                s.whole("max_concurrent_streams", 1, Integer.MAX_VALUE).map(Long::intValue)
                        .orElse(d.maxConcurrentStreams()),
                s.duration("body_read_timeout", false).orElse(d.bodyReadTimeout()),
                origins.orElse(d.allowedOrigins()));
    }
}
