package io.spoor.storage.lucene;

import io.spoor.model.Resource;
import io.spoor.spanlog.codec.ByteSource;
import io.spoor.spanlog.codec.CorruptDataException;
import io.spoor.spanlog.codec.SpanCodec;
import io.spoor.storage.TraceQuery;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cheap, conservative check of an encoded fragment ({@link SpanCodec} layout, versions 1 to 3) against a query: {@code false} only
 * when no span of the fragment can match. It walks the bytes without building spans or strings, comparing service,
 * operation, duration, start and tags in place; whatever it cannot judge cheaply (a tag on a double, array or map
 * value; a non-string service name) counts as a possible match. Callers decode and check exactly with
 * {@link TraceQuery#matches} what passes.
 *
 * Not thread-safe: one instance per search.
 *
 * <p>Why: a search reads whole write blocks of ~1000 spans, and fully decoding every fragment of every candidate
 * block to verify it cost more than the rest of the search.
 */
public final class FragmentPrefilter {
    private static final byte[] SERVICE_NAME = Resource.SERVICE_NAME.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.UTF_8);
    private static final int V_STRING = 0, V_FALSE = 1, V_TRUE = 2, V_LONG = 3, V_DOUBLE = 4, V_BYTES = 5,
            V_ARRAY = 6, V_MAP = 7;

    private final TraceQuery query;
    private final byte[] service;
    private final boolean serviceIsUnknown;
    private final byte[] operation;
    private final byte[][] tagKeys;
    private final byte[][] tagValues;
    /** The tag value as a long when it is exactly how a long prints; a long attribute can match only then. */
    private final long[] tagLongs;
    private final boolean[] tagIsLong;
    private final long allTags;
    private byte[] bytes;
    private ByteSource in;

    public FragmentPrefilter(TraceQuery query) {
        this.query = query;
        this.service = query.service().map(FragmentPrefilter::utf8).orElse(null);
        this.serviceIsUnknown = query.service().map(Resource.UNKNOWN_SERVICE::equals).orElse(false);
        this.operation = query.operation().map(FragmentPrefilter::utf8).orElse(null);
        int n = Math.min(64, query.tags().size()); // tags beyond 64 are left to exact verification
        tagKeys = new byte[n][];
        tagValues = new byte[n][];
        tagLongs = new long[n];
        tagIsLong = new boolean[n];
        for (int i = 0; i < n; i++) {
            TraceQuery.Tag t = query.tags().get(i);
            tagKeys[i] = utf8(t.key());
            tagValues[i] = utf8(t.value());
            try {
                tagLongs[i] = Long.parseLong(t.value());
                tagIsLong[i] = Long.toString(tagLongs[i]).equals(t.value());
            } catch (NumberFormatException e) {
                tagIsLong[i] = false;
            }
        }
        allTags = n == 64 ? -1L : (1L << n) - 1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** False only when no span of the fragment at {@code bytes[offset, offset+length)} can match the query. */
    public boolean mayMatch(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.in = new ByteSource(bytes, offset, length);
        int version = in.readByte();
        if (version < SpanCodec.VERSION_1 || version > SpanCodec.VERSION) {
            return true; // let the exact decoder report it
        }
        in.skip(16);
        keyTable = version >= 2;
        if (keyTable) {
            readKeyTable(offset, length, in.readFixedInt());
        }
        long baseStart = in.readZLong();
        int nRes = in.readCount();
        boolean[] resService = new boolean[nRes];
        long[] resTags = new long[nRes];
        for (int r = 0; r < nRes; r++) {
            int state = service == null ? 1 : -1; // -1: no service.name seen yet
            int n = in.readCount();
            long tags = 0;
            for (int a = 0; a < n; a++) {
                long keyBits = readKey();
                if (state == -1 && lastKeyIsServiceName) {
                    state = serviceState();
                    // serviceState consumed the value; tags on service.name are matched by the exact check
                    tags |= keyBits;
                    continue;
                }
                tags |= matchValue(keyBits);
            }
            resService[r] = state == -1 ? serviceIsUnknown : state == 1;
            resTags[r] = tags;
            skipString(); // schema url
            if (version >= 3) {
                in.readVarInt(); // dropped attributes
            }
        }
        int nScopes = in.readCount();
        for (int i = 0; i < nScopes; i++) {
            skipString();
            skipString();
            skipAttributes();
            if (version >= 3) {
                in.readVarInt(); // dropped attributes
            }
        }
        int nSpans = in.readCount();
        for (int i = 0; i < nSpans; i++) {
            int header = in.readByte();
            in.skip((header & 0x20) != 0 ? 16 : 8);
            in.readVarInt(); // flags
            int nameLen = in.readCount();
            int nameAt = in.position();
            in.skip(nameLen);
            long start = baseStart + in.readZLong();
            long duration = Math.max(0, in.readZLong()); // as Span.durationNanos: a span ending before it starts lasts 0
            int res = in.readVarInt();
            in.readVarInt(); // scope
            long tags = 0;
            int n = in.readCount();
            for (int a = 0; a < n; a++) {
                tags |= matchValue(readKey());
            }
            skipEvents();
            skipLinks();
            if ((header & 0x40) != 0) {
                skipString();
                in.readVarInt();
                in.readVarInt();
                in.readVarInt();
                skipString();
            }
            if (res < 0 || res >= nRes) {
                return true;
            }
            if ((service == null || resService[res])
                    && (operation == null || equalsAt(nameAt, nameLen, operation))
                    && duration >= query.minDurationNanos() && duration <= query.maxDurationNanos()
                    && query.window().contains(start)
                    && ((tags | resTags[res]) & allTags) == allTags) {
                return true;
            }
        }
        return false;
    }

    /** Version 2: which query tags each key of the fragment's key table names, and which key is service.name. */
    private void readKeyTable(int offset, int length, int keysAt) {
        if (keysAt < SpanCodec.TRACE_ID_END + 4 || keysAt >= length) {
            throw new CorruptDataException("key table offset " + keysAt + " out of range " + length);
        }
        ByteSource table = new ByteSource(bytes, offset + keysAt, length - keysAt);
        int n = table.readCount();
        if (keyBits.length < n) {
            keyBits = new long[Math.max(n, 2 * keyBits.length)];
        }
        keyCount = n;
        serviceNameKey = -1;
        for (int k = 0; k < n; k++) {
            int len = table.readCount();
            int at = table.position();
            table.skip(len);
            keyBits[k] = tagsOfKeyWithoutValue(at, len);
            if (serviceNameKey < 0 && equalsAt(at, len, SERVICE_NAME)) {
                serviceNameKey = k;
            }
        }
    }

    private boolean keyTable;
    private long[] keyBits = new long[64];
    private int keyCount;
    private int serviceNameKey;
    private boolean lastKeyIsServiceName;

    /** Reads an attribute's key (inline in version 1, an index in version 2): the query tags it names. */
    private long readKey() {
        if (keyTable) {
            int k = in.readVarInt();
            if (k < 0 || k >= keyCount) {
                throw new CorruptDataException("key index " + k + " out of range " + keyCount);
            }
            lastKeyIsServiceName = k == serviceNameKey;
            return keyBits[k];
        }
        int len = in.readCount();
        int at = in.position();
        in.skip(len);
        lastKeyIsServiceName = equalsAt(at, len, SERVICE_NAME);
        return tagsOfKeyWithoutValue(at, len);
    }

    /** 1 when the service.name value equals the queried service, 0 when it differs, both from a string value. */
    private int serviceState() {
        int type = in.readByte();
        if (type != V_STRING) {
            skipValueBody(type);
            return 1; // not a plain string: let the exact check decide
        }
        int len = in.readCount();
        int at = in.position();
        in.skip(len);
        if (len == 0) {
            return serviceIsUnknown ? 1 : 0;
        }
        return equalsAt(at, len, service) ? 1 : 0;
    }

    private long tagsOfKeyWithoutValue(int keyAt, int keyLen) {
        long bits = 0;
        for (int t = 0; t < tagKeys.length; t++) {
            if (equalsAt(keyAt, keyLen, tagKeys[t])) {
                bits |= 1L << t;
            }
        }
        return bits;
    }

    /** Reads one attribute value; returns the bits of the query tags (of those its key names) it may satisfy. */
    private long matchValue(long keys) {
        int type = in.readByte();
        if (keys == 0) {
            skipValueBody(type);
            return 0;
        }
        long bits = 0;
        switch (type) {
            case V_STRING -> {
                int len = in.readCount();
                int at = in.position();
                in.skip(len);
                for (int t = 0; t < tagKeys.length; t++) {
                    if ((keys & (1L << t)) != 0 && equalsAt(at, len, tagValues[t])) {
                        bits |= 1L << t;
                    }
                }
            }
            case V_LONG -> {
                long v = in.readZLong();
                for (int t = 0; t < tagKeys.length; t++) {
                    if ((keys & (1L << t)) != 0 && tagIsLong[t] && tagLongs[t] == v) {
                        bits |= 1L << t;
                    }
                }
            }
            case V_TRUE, V_FALSE -> {
                byte[] printed = type == V_TRUE ? TRUE : FALSE;
                for (int t = 0; t < tagKeys.length; t++) {
                    if ((keys & (1L << t)) != 0 && Arrays.equals(tagValues[t], printed)) {
                        bits |= 1L << t;
                    }
                }
            }
            default -> {
                skipValueBody(type);
                bits = keys; // doubles, bytes, arrays, maps print in ways best left to the exact check
            }
        }
        return bits;
    }

    private boolean equalsAt(int at, int len, byte[] expected) {
        return len == expected.length && Arrays.equals(bytes, at, at + len, expected, 0, len);
    }

    private void skipString() {
        in.skip(in.readCount());
    }

    private void skipAttributes() {
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            if (keyTable) {
                in.readVarInt();
            } else {
                skipString();
            }
            skipValueBody(in.readByte());
        }
    }

    private void skipValueBody(int type) {
        switch (type) {
            case V_STRING -> skipString();
            case V_FALSE, V_TRUE -> {
            }
            case V_LONG -> in.readZLong();
            case V_DOUBLE -> in.skip(8);
            case V_BYTES -> in.skip(in.readCount());
            case V_ARRAY -> {
                int n = in.readCount();
                for (int i = 0; i < n; i++) {
                    skipValueBody(in.readByte());
                }
            }
            case V_MAP -> skipAttributes();
            default -> throw new CorruptDataException("unknown attribute value type " + type);
        }
    }

    private void skipEvents() {
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            in.readZLong();
            skipString();
            skipAttributes();
            in.readVarInt();
        }
    }

    private void skipLinks() {
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            in.skip(24);
            skipString();
            skipAttributes();
            in.readVarInt();
            in.readVarInt();
        }
    }
}
