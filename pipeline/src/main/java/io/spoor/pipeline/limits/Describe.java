package io.spoor.pipeline.limits;

import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanId;
import java.time.Duration;
import java.time.Instant;

/** Short descriptions of spans, times and durations for the messages that go back to clients. */
final class Describe {
    private static final int NAME_CHARS = 40;

    private Describe() {
    }

    /** {@code span 00f067aa0ba902b7 of trace 4bf9…4736 "GET /checkout"}: the ids the client can look for. */
    static String span(Span s) {
        return "span " + SpanId.toHex(s.spanId()) + " of trace " + s.traceId().toHex() + " " + quoted(s.name());
    }

    static String resource(Resource r) {
        String service = "";
        for (var a : r.attributes().asList()) {
            if (a.key().equals(Resource.SERVICE_NAME)) {
                service = a.value().asString();
                break;
            }
        }
        return "the resource of service " + quoted(service);
    }

    /** A name in quotes, cut to 40 characters: the message must stay short whatever the name is. */
    static String quoted(String name) {
        return name.length() <= NAME_CHARS ? "\"" + name + "\""
                : "\"" + name.substring(0, NAME_CHARS) + "…\" (" + name.length() + " characters)";
    }

    /** An epoch-nanosecond time as an instant, or the raw (unsigned) number when no instant can show it. */
    static String time(long epochNanos) {
        if (epochNanos < 0) {
            return Long.toUnsignedString(epochNanos) + " ns";
        }
        return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L).toString();
    }

    /** 7d, 1h, 90s as Go durations are written in the configuration. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }
}
