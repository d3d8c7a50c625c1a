package io.spoor.spanlog.codec;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Compact binary encoding of a <em>fragment</em>: spans of one trace that arrived in one write. Layout (versions 2
 * and 3):
 * <pre>
 * version(1) traceIdHigh(8) traceIdLow(8) keysAt(4) baseStart(zvar)
 * resources: count, {attributes, schemaUrl [droppedAttributes(var), version 3]}*  -- each distinct resource once
 * scopes:    count, {name, version, attributes [droppedAttributes(var), version 3]}*
 * spans:     count, span*
 * keys:      count, string*                        -- at byte keysAt of the fragment: every distinct attribute key
 * span: header(1: kind 3 bits | status code 2 bits | hasParent | hasExtras) spanId(8) [parentId(8)] flags(var)
 *       name start-baseStart(zvar) end-start(zvar) resourceIdx(var) scopeIdx(var) attributes events links
 *       [extras: traceState droppedAttributes droppedEvents droppedLinks statusMessage]
 * attributes: count, {keyIdx(var) value}*          -- keyIdx into the key table (version 1: the key string itself)
 * </pre>
 * Why the key table: the spans of a trace repeat the same few dozen attribute keys (a 21-span trace with ~10 tags
 * per span writes ~210 keys, ~25 of them distinct); writing each once per fragment makes a fragment ~30 % smaller,
 * which the encoder, the log, the index's stored-field compression and every read pay for. It sits after the spans
 * so the encoder can write in one pass; its fixed-width offset in the header lets a reader find it first.
 *
 * <p>Version 3 differs from 2 only by the resources' and scopes' dropped-attribute counts. It is written only for a
 * fragment where one of them is not zero (an export that said so, or Spoor's attribute count limit); every other
 * fragment is still written as version 2, byte for byte as before, so that data without such counts stays readable by
 * a Spoor that knows only version 2.
 *
 * <p>Version 1 (written up to commit 9aa962f, no key table, no {@code keysAt}) is still read: stores upgraded in
 * place keep their old blocks. Every model field round-trips exactly (doubles by raw bits, types of attribute
 * values kept). Instances are not thread-safe (they reuse a buffer); decoding is static.
 */
public final class SpanCodec {
    /** The newest version this class writes and reads (when a resource or scope of the fragment dropped attributes). */
    public static final int VERSION = 3;
    /** The version it writes for every other fragment. */
    public static final int VERSION_2 = 2;
    /** The oldest version it reads: fragments of version 1 have attribute keys inline and no key table. */
    public static final int VERSION_1 = 1;
    /** Bytes of a fragment before its trace id ends: version + 16 bytes of id. */
    public static final int TRACE_ID_END = 17;

    private static final int V_STRING = 0, V_FALSE = 1, V_TRUE = 2, V_LONG = 3, V_DOUBLE = 4, V_BYTES = 5,
            V_ARRAY = 6, V_MAP = 7;

    private final ByteSink ownSink = new ByteSink(64 * 1024);
    private ByteSink sink;
    private final IdentityHashMap<Resource, Integer> resourceIds = new IdentityHashMap<>();
    private final IdentityHashMap<InstrumentationScope, Integer> scopeIds = new IdentityHashMap<>();
    private final List<Resource> resources = new ArrayList<>();
    private final List<InstrumentationScope> scopes = new ArrayList<>();
    private final KeyTable keys = new KeyTable();

    /** Encodes spans that all belong to {@code traceId}. */
    public byte[] encodeFragment(TraceId traceId, List<Span> spans) {
        ownSink.reset();
        encodeFragment(traceId, spans, ownSink);
        return ownSink.toByteArray();
    }

    /** Appends the encoding of spans that all belong to {@code traceId} to {@code out}. */
    public void encodeFragment(TraceId traceId, List<Span> spans, ByteSink out) {
        sink = out;
        int fragmentStart = out.size();
        keys.clear();
        resourceIds.clear();
        scopeIds.clear();
        resources.clear();
        scopes.clear();
        // Resources and scopes are shared by reference within an export; identity first, then value equality so
        // that equal copies from different exports still collapse into one table entry.
        int[] resIdx = new int[spans.size()];
        int[] scopeIdx = new int[spans.size()];
        long baseStart = spans.isEmpty() ? 0 : spans.get(0).startEpochNanos();
        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            resIdx[i] = intern(s.resource(), resourceIds, resources);
            scopeIdx[i] = intern(s.scope(), scopeIds, scopes);
        }
        boolean dropped = false;
        for (Resource r : resources) {
            dropped |= r.droppedAttributesCount() != 0;
        }
        for (InstrumentationScope sc : scopes) {
            dropped |= sc.droppedAttributesCount() != 0;
        }
        sink.writeByte(dropped ? VERSION : VERSION_2);
        sink.writeFixedLong(traceId.high());
        sink.writeFixedLong(traceId.low());
        int keysAtField = sink.size();
        sink.writeFixedInt(0);
        sink.writeZLong(baseStart);
        sink.writeVarInt(resources.size());
        for (Resource r : resources) {
            writeAttributes(r.attributes());
            sink.writeString(r.schemaUrl());
            if (dropped) {
                sink.writeVarInt(r.droppedAttributesCount());
            }
        }
        sink.writeVarInt(scopes.size());
        for (InstrumentationScope sc : scopes) {
            sink.writeString(sc.name());
            sink.writeString(sc.version());
            writeAttributes(sc.attributes());
            if (dropped) {
                sink.writeVarInt(sc.droppedAttributesCount());
            }
        }
        sink.writeVarInt(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            writeSpan(spans.get(i), baseStart, resIdx[i], scopeIdx[i]);
        }
        sink.setFixedInt(keysAtField, sink.size() - fragmentStart);
        sink.writeVarInt(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            sink.writeString(keys.get(i));
        }
        sink = null;
    }

    private static <T> int intern(T value, IdentityHashMap<T, Integer> ids, List<T> table) {
        Integer id = ids.get(value);
        if (id != null) {
            return id;
        }
        int found = table.indexOf(value); // tables hold a handful of entries: a scan beats hashing records
        if (found < 0) {
            found = table.size();
            table.add(value);
        }
        ids.put(value, found);
        return found;
    }

    private void writeSpan(Span s, long baseStart, int resIdx, int scopeIdx) {
        boolean hasParent = s.parentSpanId() != 0;
        boolean hasExtras = !s.traceState().isEmpty() || s.droppedAttributesCount() != 0
                || s.droppedEventsCount() != 0 || s.droppedLinksCount() != 0 || !s.status().message().isEmpty();
        sink.writeByte(s.kind().ordinal() | (s.status().code().ordinal() << 3) | (hasParent ? 0x20 : 0)
                | (hasExtras ? 0x40 : 0));
        sink.writeFixedLong(s.spanId());
        if (hasParent) {
            sink.writeFixedLong(s.parentSpanId());
        }
        sink.writeVarInt(s.flags());
        sink.writeString(s.name());
        sink.writeZLong(s.startEpochNanos() - baseStart);
        sink.writeZLong(s.endEpochNanos() - s.startEpochNanos());
        sink.writeVarInt(resIdx);
        sink.writeVarInt(scopeIdx);
        writeAttributes(s.attributes());
        List<SpanEvent> events = s.events();
        sink.writeVarInt(events.size());
        for (SpanEvent e : events) {
            sink.writeZLong(e.epochNanos() - s.startEpochNanos());
            sink.writeString(e.name());
            writeAttributes(e.attributes());
            sink.writeVarInt(e.droppedAttributesCount());
        }
        List<SpanLink> links = s.links();
        sink.writeVarInt(links.size());
        for (SpanLink l : links) {
            sink.writeFixedLong(l.traceId().high());
            sink.writeFixedLong(l.traceId().low());
            sink.writeFixedLong(l.spanId());
            sink.writeString(l.traceState());
            writeAttributes(l.attributes());
            sink.writeVarInt(l.droppedAttributesCount());
            sink.writeVarInt(l.flags());
        }
        if (hasExtras) {
            sink.writeString(s.traceState());
            sink.writeVarInt(s.droppedAttributesCount());
            sink.writeVarInt(s.droppedEventsCount());
            sink.writeVarInt(s.droppedLinksCount());
            sink.writeString(s.status().message());
        }
    }

    private void writeAttributes(Attributes attributes) {
        List<Attribute> list = attributes.asList();
        sink.writeVarInt(list.size());
        for (int i = 0; i < list.size(); i++) {
            Attribute a = list.get(i);
            sink.writeVarInt(keys.indexOf(a.key()));
            writeValue(a.value());
        }
    }

    private void writeValue(AttributeValue v) {
        switch (v) {
            case AttributeValue.StringValue s -> {
                sink.writeByte(V_STRING);
                sink.writeString(s.value());
            }
            case AttributeValue.BoolValue b -> sink.writeByte(b.value() ? V_TRUE : V_FALSE);
            case AttributeValue.LongValue l -> {
                sink.writeByte(V_LONG);
                sink.writeZLong(l.value());
            }
            case AttributeValue.DoubleValue d -> {
                sink.writeByte(V_DOUBLE);
                sink.writeFixedLong(Double.doubleToRawLongBits(d.value()));
            }
            case AttributeValue.BytesValue b -> {
                byte[] bytes = b.value();
                sink.writeByte(V_BYTES);
                sink.writeVarInt(bytes.length);
                sink.writeBytes(bytes, 0, bytes.length);
            }
            case AttributeValue.ArrayValue a -> {
                sink.writeByte(V_ARRAY);
                sink.writeVarInt(a.values().size());
                for (AttributeValue e : a.values()) {
                    writeValue(e);
                }
            }
            case AttributeValue.MapValue m -> {
                sink.writeByte(V_MAP);
                writeAttributes(m.values());
            }
        }
    }

    // ---------------------------------------------------------------- decoding

    /** The trace id of an encoded fragment, without decoding the spans. */
    public static TraceId traceIdOf(byte[] bytes, int offset, int length) {
        ByteSource in = new ByteSource(bytes, offset, length);
        readVersion(in);
        return new TraceId(in.readFixedLong(), in.readFixedLong());
    }

    public static List<Span> decodeFragment(byte[] bytes) {
        return decodeFragment(bytes, 0, bytes.length);
    }

    public static List<Span> decodeFragment(byte[] bytes, int offset, int length) {
        ByteSource in = new ByteSource(bytes, offset, length);
        int version = readVersion(in);
        TraceId traceId = new TraceId(in.readFixedLong(), in.readFixedLong());
        String[] keys = null;
        int keysAt = -1;
        if (version >= 2) {
            keysAt = in.readFixedInt();
            keys = readKeyTable(bytes, offset, length, keysAt);
        }
        long baseStart = in.readZLong();
        int nRes = in.readCount();
        Resource[] resources = new Resource[nRes];
        for (int i = 0; i < nRes; i++) {
            Attributes attrs = readAttributes(in, keys);
            String schemaUrl = in.readString();
            resources[i] = new Resource(attrs, schemaUrl, version >= 3 ? in.readVarInt() : 0);
        }
        int nScopes = in.readCount();
        InstrumentationScope[] scopes = new InstrumentationScope[nScopes];
        for (int i = 0; i < nScopes; i++) {
            String name = in.readString();
            String version2 = in.readString();
            Attributes attrs = readAttributes(in, keys);
            scopes[i] = new InstrumentationScope(name, version2, attrs, version >= 3 ? in.readVarInt() : 0);
        }
        int n = in.readCount();
        List<Span> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spans.add(readSpan(in, traceId, baseStart, resources, scopes, keys));
        }
        if (keysAt >= 0 && in.position() != offset + keysAt) {
            throw new CorruptDataException("spans end at byte " + (in.position() - offset) + ", key table at "
                    + keysAt);
        }
        return spans;
    }

    /**
     * The version byte of a fragment, 1 to 3. A newer one means data written by a newer Spoor: it is refused with a
     * message saying so rather than misread.
     */
    public static int readVersion(ByteSource in) {
        int version = in.readByte();
        if (version < VERSION_1 || version > VERSION) {
            throw new CorruptDataException("unknown span encoding version " + version + " (this Spoor reads "
                    + VERSION_1 + " to " + VERSION + "; data written by a newer Spoor cannot be read by an older one)");
        }
        return version;
    }

    /** The key table of a version-2 fragment, which starts {@code keysAt} bytes into it and runs to its end. */
    static String[] readKeyTable(byte[] bytes, int offset, int length, int keysAt) {
        if (keysAt < TRACE_ID_END + 4 || keysAt >= length) {
            throw new CorruptDataException("key table offset " + keysAt + " out of range " + length);
        }
        ByteSource in = new ByteSource(bytes, offset + keysAt, length - keysAt);
        int n = in.readCount();
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = in.readString();
        }
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes after the key table");
        }
        return keys;
    }

    private static Span readSpan(ByteSource in, TraceId traceId, long baseStart, Resource[] resources,
                                 InstrumentationScope[] scopes, String[] keys) {
        int header = in.readByte();
        long spanId = in.readFixedLong();
        long parent = (header & 0x20) != 0 ? in.readFixedLong() : 0;
        int flags = in.readVarInt();
        String name = in.readString();
        long start = baseStart + in.readZLong();
        long end = start + in.readZLong();
        Resource resource = pick(resources, in.readVarInt());
        InstrumentationScope scope = pick(scopes, in.readVarInt());
        Attributes attributes = readAttributes(in, keys);
        int nEvents = in.readCount();
        List<SpanEvent> events = nEvents == 0 ? List.of() : new ArrayList<>(nEvents);
        for (int i = 0; i < nEvents; i++) {
            long t = start + in.readZLong();
            String en = in.readString();
            Attributes ea = readAttributes(in, keys);
            events.add(new SpanEvent(t, en, ea, in.readVarInt()));
        }
        int nLinks = in.readCount();
        List<SpanLink> links = nLinks == 0 ? List.of() : new ArrayList<>(nLinks);
        for (int i = 0; i < nLinks; i++) {
            TraceId lt = new TraceId(in.readFixedLong(), in.readFixedLong());
            long ls = in.readFixedLong();
            String lts = in.readString();
            Attributes la = readAttributes(in, keys);
            int ld = in.readVarInt();
            links.add(new SpanLink(lt, ls, lts, la, ld, in.readVarInt()));
        }
        String traceState = "";
        int droppedAttributes = 0, droppedEvents = 0, droppedLinks = 0;
        String statusMessage = "";
        if ((header & 0x40) != 0) {
            traceState = in.readString();
            droppedAttributes = in.readVarInt();
            droppedEvents = in.readVarInt();
            droppedLinks = in.readVarInt();
            statusMessage = in.readString();
        }
        StatusCode code = StatusCode.fromWire((header >> 3) & 0x3);
        Status status = code == StatusCode.UNSET && statusMessage.isEmpty() ? Status.UNSET
                : new Status(code, statusMessage);
        return new Span(traceId, spanId, parent, traceState, flags, name, SpanKind.fromWire(header & 0x7), start, end,
                attributes, droppedAttributes, events, droppedEvents, links, droppedLinks, status, resource, scope);
    }

    private static <T> T pick(T[] table, int idx) {
        if (idx < 0 || idx >= table.length) {
            throw new CorruptDataException("table index " + idx + " out of range " + table.length);
        }
        return table[idx];
    }

    /** {@code keys} null: version 1, keys inline. */
    private static Attributes readAttributes(ByteSource in, String[] keys) {
        int n = in.readCount();
        if (n == 0) {
            return Attributes.EMPTY;
        }
        Attribute[] list = new Attribute[n];
        for (int i = 0; i < n; i++) {
            String key = keys == null ? in.readString() : pick(keys, in.readVarInt());
            list[i] = new Attribute(key, readValue(in, keys));
        }
        return new Attributes(List.of(list));
    }

    private static AttributeValue readValue(ByteSource in, String[] keys) {
        int type = in.readByte();
        return switch (type) {
            case V_STRING -> new AttributeValue.StringValue(in.readString());
            case V_FALSE -> new AttributeValue.BoolValue(false);
            case V_TRUE -> new AttributeValue.BoolValue(true);
            case V_LONG -> new AttributeValue.LongValue(in.readZLong());
            case V_DOUBLE -> new AttributeValue.DoubleValue(Double.longBitsToDouble(in.readFixedLong()));
            case V_BYTES -> new AttributeValue.BytesValue(in.readBytes(in.readCount()));
            case V_ARRAY -> {
                int n = in.readCount();
                List<AttributeValue> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(readValue(in, keys));
                }
                yield new AttributeValue.ArrayValue(values);
            }
            case V_MAP -> new AttributeValue.MapValue(readAttributes(in, keys));
            default -> throw new CorruptDataException("unknown attribute value type " + type);
        };
    }

    /**
     * The distinct attribute keys of the fragment being encoded, in order of first use. Open addressing on the
     * key's (cached) hash code, identity compared before equals: decoders hand out the same key instance again and
     * again, so a lookup usually costs one array probe and no character comparison.
     */
    private static final class KeyTable {
        private String[] keys = new String[64];
        private int[] slots = new int[128]; // index + 1, 0 = free
        private int size;

        void clear() {
            if (size > 0) {
                java.util.Arrays.fill(slots, 0);
                java.util.Arrays.fill(keys, 0, size, null);
                size = 0;
            }
        }

        int size() {
            return size;
        }

        String get(int i) {
            return keys[i];
        }

        int indexOf(String key) {
            int mask = slots.length - 1;
            int h = key.hashCode();
            int slot = (h ^ (h >>> 16)) & mask;
            while (true) {
                int v = slots[slot];
                if (v == 0) {
                    break;
                }
                String k = keys[v - 1];
                if (k == key || k.equals(key)) {
                    return v - 1;
                }
                slot = (slot + 1) & mask;
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
            }
            keys[size] = key;
            slots[slot] = ++size;
            if (size * 2 > slots.length) {
                rehash();
            }
            return size - 1;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int i = 0; i < size; i++) {
                int h = keys[i].hashCode();
                int slot = (h ^ (h >>> 16)) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = i + 1;
            }
        }
    }
}
