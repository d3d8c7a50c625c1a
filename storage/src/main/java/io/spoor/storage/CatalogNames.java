package io.spoor.storage;

/**
 * How engines keep service and operation names in their catalog ({@link TraceReader#services()},
 * {@link TraceReader#operations(String)}): a name longer than {@link #MAX_CHARS} characters is cut there and ends in
 * an ellipsis. Indexes refuse over-long keys (Lucene a term over 32,766 UTF-8 bytes, Cassandra a key over 65,535),
 * and a refused key must not cost the spans of a batch; the span itself keeps its whole name, and searches by it match.
 * 1,000 characters are at most 3,000 UTF-8 bytes (a surrogate pair is two characters and four bytes).
 */
public final class CatalogNames {
    public static final int MAX_CHARS = 1000;
    private static final char ELLIPSIS = '\u2026';

    private CatalogNames() {
    }

    public static boolean tooLong(String name) {
        return name.length() > MAX_CHARS;
    }

    /** The name, or its first {@code MAX_CHARS - 1} characters and an ellipsis, never cut inside a surrogate pair. */
    public static String cap(String name) {
        if (!tooLong(name)) {
            return name;
        }
        int end = MAX_CHARS - 1;
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end) + ELLIPSIS;
    }
}
