package io.spoor.storage.codec;

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
 * Compact binary encoding of a <em>fragment</em>: spans of one trace that arrived in one write. Layout:
 * <pre>
 * version(1) traceIdHigh(8) traceIdLow(8) baseStart(zvar)
 * resources: count, {attributes, schemaUrl}*      -- each distinct resource written once per fragment
 * scopes:    count, {name, version, attributes}*
 * spans:     count, span*
 * span: header(1: kind 3 bits | status code 2 bits | hasParent | hasExtras) spanId(8) [parentId(8)] flags(var)
 *       name start-baseStart(zvar) end-start(zvar) resourceIdx(var) scopeIdx(var) attributes events links
 *       [extras: traceState droppedAttributes droppedEvents droppedLinks statusMessage]
 * </pre>
 * Every model field round-trips exactly (doubles by raw bits, types of attribute values kept). Instances are
 * not thread-safe (they reuse a buffer); decoding is static.
 */
public final class SpanCodec {
    public static final int VERSION = 1;
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

    /** Encodes spans that all belong to {@code traceId}. */
    public byte[] encodeFragment(TraceId traceId, List<Span> spans) {
        ownSink.reset();
        encodeFragment(traceId, spans, ownSink);
        return ownSink.toByteArray();
    }

    /** Appends the encoding of spans that all belong to {@code traceId} to {@code out}. */
    public void encodeFragment(TraceId traceId, List<Span> spans, ByteSink out) {
        sink = out;
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
        sink.writeByte(VERSION);
        sink.writeFixedLong(traceId.high());
        sink.writeFixedLong(traceId.low());
        sink.writeZLong(baseStart);
        sink.writeVarInt(resources.size());
        for (Resource r : resources) {
            writeAttributes(r.attributes());
            sink.writeString(r.schemaUrl());
        }
        sink.writeVarInt(scopes.size());
        for (InstrumentationScope sc : scopes) {
            sink.writeString(sc.name());
            sink.writeString(sc.version());
            writeAttributes(sc.attributes());
        }
        sink.writeVarInt(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            writeSpan(spans.get(i), baseStart, resIdx[i], scopeIdx[i]);
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
            sink.writeString(a.key());
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
        checkVersion(in);
        return new TraceId(in.readFixedLong(), in.readFixedLong());
    }

    public static List<Span> decodeFragment(byte[] bytes) {
        return decodeFragment(bytes, 0, bytes.length);
    }

    public static List<Span> decodeFragment(byte[] bytes, int offset, int length) {
        ByteSource in = new ByteSource(bytes, offset, length);
        checkVersion(in);
        TraceId traceId = new TraceId(in.readFixedLong(), in.readFixedLong());
        long baseStart = in.readZLong();
        int nRes = in.readCount();
        Resource[] resources = new Resource[nRes];
        for (int i = 0; i < nRes; i++) {
            Attributes attrs = readAttributes(in);
            resources[i] = new Resource(attrs, in.readString());
        }
        int nScopes = in.readCount();
        InstrumentationScope[] scopes = new InstrumentationScope[nScopes];
        for (int i = 0; i < nScopes; i++) {
            String name = in.readString();
            String version = in.readString();
            scopes[i] = new InstrumentationScope(name, version, readAttributes(in));
        }
        int n = in.readCount();
        List<Span> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spans.add(readSpan(in, traceId, baseStart, resources, scopes));
        }
        return spans;
    }

    private static void checkVersion(ByteSource in) {
        int version = in.readByte();
        if (version != VERSION) {
            throw new CorruptDataException("unknown span encoding version " + version);
        }
    }

    private static Span readSpan(ByteSource in, TraceId traceId, long baseStart, Resource[] resources,
                                 InstrumentationScope[] scopes) {
        int header = in.readByte();
        long spanId = in.readFixedLong();
        long parent = (header & 0x20) != 0 ? in.readFixedLong() : 0;
        int flags = in.readVarInt();
        String name = in.readString();
        long start = baseStart + in.readZLong();
        long end = start + in.readZLong();
        Resource resource = pick(resources, in.readVarInt());
        InstrumentationScope scope = pick(scopes, in.readVarInt());
        Attributes attributes = readAttributes(in);
        int nEvents = in.readCount();
        List<SpanEvent> events = nEvents == 0 ? List.of() : new ArrayList<>(nEvents);
        for (int i = 0; i < nEvents; i++) {
            long t = start + in.readZLong();
            String en = in.readString();
            Attributes ea = readAttributes(in);
            events.add(new SpanEvent(t, en, ea, in.readVarInt()));
        }
        int nLinks = in.readCount();
        List<SpanLink> links = nLinks == 0 ? List.of() : new ArrayList<>(nLinks);
        for (int i = 0; i < nLinks; i++) {
            TraceId lt = new TraceId(in.readFixedLong(), in.readFixedLong());
            long ls = in.readFixedLong();
            String lts = in.readString();
            Attributes la = readAttributes(in);
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

    private static Attributes readAttributes(ByteSource in) {
        int n = in.readCount();
        if (n == 0) {
            return Attributes.EMPTY;
        }
        Attribute[] list = new Attribute[n];
        for (int i = 0; i < n; i++) {
            String key = in.readString();
            list[i] = new Attribute(key, readValue(in));
        }
        return new Attributes(List.of(list));
    }

    private static AttributeValue readValue(ByteSource in) {
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
                    values.add(readValue(in));
                }
                yield new AttributeValue.ArrayValue(values);
            }
            case V_MAP -> new AttributeValue.MapValue(readAttributes(in));
            default -> throw new CorruptDataException("unknown attribute value type " + type);
        };
    }
}
