package io.spoor.protocol.zipkin;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Hands out one String instance per distinct short text value that a decoding thread keeps reading: service and span
 * names, span kinds, tag values such as {@code GET}, {@code postgresql}, a route or a status code. A report of 512
 * spans repeats a few dozen of them thousands of times; Jackson would build a new String (a char-to-byte compression
 * pass and an allocation) for each. A hit costs a hash and a compare over the parser's own characters, and the
 * instance it returns already has its hash code cached, which the storage write path (tag-term hashing, resource and
 * catalog look-ups) then uses for free.
 *
 * <p>Direct-mapped (a colliding value replaces the slot's old one), bounded in entries and in value length, so it
 * never grows: values longer than {@link #MAX_CHARS} (URLs, SQL, stack traces) are always built fresh. One instance
 * per thread ({@link #forThisThread()}); not thread-safe. Strings are immutable, so sharing an instance between spans
 * is invisible to every reader.
 */
final class StringCache {
    static final int MAX_CHARS = 64;
    private static final int SLOTS = 4096; // power of two
    private static final ThreadLocal<StringCache> PER_THREAD = ThreadLocal.withInitial(StringCache::new);

    private final String[] slots = new String[SLOTS];

    static StringCache forThisThread() {
        return PER_THREAD.get();
    }

    /** The text of the parser's current string token; equal to {@link JsonParser#getText()}. */
    String text(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        return of(chars, offset, length);
    }

    String of(char[] chars, int offset, int length) {
        if (length > MAX_CHARS) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String cached = slots[slot];
        if (cached != null && cached.length() == length && sameChars(cached, chars, offset)) {
            return cached;
        }
        String s = new String(chars, offset, length);
        slots[slot] = s;
        return s;
    }

    private static boolean sameChars(String s, char[] chars, int offset) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
