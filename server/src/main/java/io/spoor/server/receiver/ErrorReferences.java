package io.spoor.server.receiver;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal failures as clients see them: a short reference instead of the exception's text (which can name files,
 * classes and hosts), and the exception in Spoor's log under that reference. The reference is derived from what
 * failed and the exception's type and message, so a failure that repeats (a full disk refusing every export) keeps
 * one reference and one log line per minute with a count, not a line per request.
 */
public final class ErrorReferences {
    private static final Logger log = LoggerFactory.getLogger(ErrorReferences.class);
    private static final long REPEAT_LOG_NANOS = 60_000_000_000L;
    private static final int MAX_TRACKED = 1024;

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private static final class Seen {
        final AtomicLong lastLoggedNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    /**
     * Logs {@code cause} (with its stack trace the first time) under a reference and returns the client's message:
     * {@code "<what> (reference 1a2b3c4d; details in Spoor's log)"}.
     */
    public String report(String what, Throwable cause) {
        String reference = reference(what, cause);
        Seen s = seen.computeIfAbsent(reference, r -> {
            if (seen.size() >= MAX_TRACKED) {
                seen.clear(); // a flood of distinct failures: forget the oldest, keep memory bounded
            }
            return new Seen();
        });
        long now = System.nanoTime();
        long last = s.lastLoggedNanos.get();
        boolean first = last == Long.MIN_VALUE;
        if ((first || now - last >= REPEAT_LOG_NANOS) && s.lastLoggedNanos.compareAndSet(last, now)) {
            long more = s.suppressed.getAndSet(0);
            if (first) {
                log.warn("{} [reference {}]", what, reference, cause);
            } else {
                log.warn("{} [reference {}]: {} ({} more since the last report)", what, reference, cause, more);
            }
        } else {
            s.suppressed.incrementAndGet();
        }
        return what + " (reference " + reference + "; details in Spoor's log)";
    }

    static String reference(String what, Throwable cause) {
        int h = what.hashCode() * 31 + cause.getClass().getName().hashCode();
        h = h * 31 + String.valueOf(cause.getMessage()).hashCode();
        return String.format(Locale.ROOT, "%08x", h);
    }
}
