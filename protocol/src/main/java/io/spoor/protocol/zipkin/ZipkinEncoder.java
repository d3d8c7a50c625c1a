package io.spoor.protocol.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.SharedSpans;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.protocol.AttributeJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes model spans as Zipkin v2 JSON (zipkin2-api.yaml), following OpenTelemetry's OTLP → Zipkin transformation:
 * kind (INTERNAL → absent), µs times, attributes and resource attributes (other than {@code service.name}) as
 * string tags, status as {@code otel.status_code} / {@code error}, events as annotations ({@code "name":{json}}
 * when they have attributes), scope as {@code otel.scope.*}. {@link ZipkinMapping} has the attribute names.
 */
public final class ZipkinEncoder {
    private static final JsonFactory JSON = new JsonFactory();
    /** Attributes the endpoints carry; not repeated as tags. */
    private static final Set<String> ENDPOINT_ATTRIBUTES = Set.of(ZipkinMapping.LOCAL_ADDRESS,
            ZipkinMapping.LOCAL_PORT, ZipkinMapping.PEER_ADDRESS, ZipkinMapping.PEER_PORT, ZipkinMapping.SHARED,
            ZipkinMapping.DEBUG);
    /** Where a client or producer span's remote service name comes from when peer.service is absent. */
    private static final List<String> REMOTE_NAME_FALLBACK = List.of("server.address", "net.peer.name");

    private ZipkinEncoder() {
    }

    /** The spans of one trace (or of a batch) as a JSON list; no warnings. */
    public static byte[] encodeJson(List<Span> spans) {
        ByteArrayBuilder out = new ByteArrayBuilder(256 * Math.max(1, spans.size()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeTrace(g, spans, s -> List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the spans of one trace as a JSON list. {@code warnings} gives each span's query-time warnings, written as
     * a {@value ZipkinMapping#WARNINGS} tag (Zipkin has no warnings field).
     */
    public static void writeTrace(JsonGenerator g, List<Span> spans, Function<Span, List<String>> warnings)
            throws IOException {
        Map<Long, Span> byId = new HashMap<>(spans.size() * 2);
        for (Span s : spans) {
            byId.put(s.spanId(), s);
        }
        g.writeStartArray();
        for (Span s : spans) {
            writeSpan(g, s, byId, warnings.apply(s));
        }
        g.writeEndArray();
    }

    static String traceIdHex(TraceId id) {
        return id.high() == 0 ? SpanId.toHex(id.low()) : id.toHex();
    }

    private static void writeSpan(JsonGenerator g, Span s, Map<Long, Span> byId, List<String> warnings)
            throws IOException {
        Attributes attrs = s.attributes();
        boolean shared = attrs.get(ZipkinMapping.SHARED).map(v -> v instanceof AttributeValue.BoolValue b && b.value())
                .orElse(false);
        long id = s.spanId();
        long parentId = s.parentSpanId();
        if (shared && parentId != SpanId.NONE) {
            // the server half of a shared span: its original id is its parent's (the client half's)
            id = parentId;
            Span client = byId.get(parentId);
            parentId = client == null ? SpanId.NONE : client.parentSpanId();
        } else if (parentId != SpanId.NONE) {
            Span parent = byId.get(parentId);
            if (parent != null && SharedSpans.isSharedServerHalf(parent)) {
                parentId = parent.parentSpanId(); // a child of a server half names the shared id, as sent
            }
        }
        g.writeStartObject();
        g.writeStringField("traceId", traceIdHex(s.traceId()));
        if (parentId != SpanId.NONE) {
            g.writeStringField("parentId", SpanId.toHex(parentId));
        }
        g.writeStringField("id", SpanId.toHex(id));
        String kind = switch (s.kind()) {
            case CLIENT -> "CLIENT";
            case SERVER -> "SERVER";
            case PRODUCER -> "PRODUCER";
            case CONSUMER -> "CONSUMER";
            default -> null;
        };
        if (kind != null) {
            g.writeStringField("kind", kind);
        }
        if (!s.name().isEmpty()) {
            g.writeStringField("name", s.name());
        }
        long start = s.startEpochNanos() / 1000;
        if (start > 0) {
            g.writeNumberField("timestamp", start);
        }
        long duration = s.durationNanos() / 1000;
        if (duration > 0) {
            g.writeNumberField("duration", duration);
        }
        g.writeObjectFieldStart("localEndpoint");
        g.writeStringField("serviceName", s.serviceName());
        writeAddress(g, attrs.getString(ZipkinMapping.LOCAL_ADDRESS).orElse(""),
                attrs.get(ZipkinMapping.LOCAL_PORT).orElse(null));
        g.writeEndObject();
        String remoteName = attrs.getString(ZipkinMapping.PEER_SERVICE).orElse(null);
        boolean peerServiceUsed = remoteName != null;
        if (remoteName == null && (kind != null && (kind.equals("CLIENT") || kind.equals("PRODUCER")))) {
            for (String k : REMOTE_NAME_FALLBACK) {
                remoteName = attrs.getString(k).orElse(null);
                if (remoteName != null) {
                    break;
                }
            }
        }
        String peerAddress = attrs.getString(ZipkinMapping.PEER_ADDRESS).orElse("");
        AttributeValue peerPort = attrs.get(ZipkinMapping.PEER_PORT).orElse(null);
        if (remoteName != null || isIp(peerAddress) || peerPort != null) {
            g.writeObjectFieldStart("remoteEndpoint");
            if (remoteName != null) {
                g.writeStringField("serviceName", remoteName);
            }
            writeAddress(g, peerAddress, peerPort);
            g.writeEndObject();
        }
        if (!s.events().isEmpty()) {
            g.writeArrayFieldStart("annotations");
            for (SpanEvent e : s.events()) {
                g.writeStartObject();
                g.writeNumberField("timestamp", e.epochNanos() / 1000);
                g.writeStringField("value", annotationValue(e));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("tags");
        for (Attribute a : s.resource().attributes().asList()) {
            if (!a.key().equals(Resource.SERVICE_NAME)) {
                g.writeStringField(a.key(), tagValue(a.value()));
            }
        }
        for (Attribute a : attrs.asList()) {
            String k = a.key();
            if (ENDPOINT_ATTRIBUTES.contains(k) && (!k.equals(ZipkinMapping.PEER_ADDRESS) || isIp(peerAddress))
                    || k.equals(ZipkinMapping.PEER_SERVICE) && peerServiceUsed
                    || k.equals(ZipkinMapping.ERROR)) {
                continue;
            }
            g.writeStringField(k, tagValue(a.value()));
        }
        if (s.status().code() == StatusCode.ERROR) {
            g.writeStringField(ZipkinMapping.STATUS_CODE, "ERROR");
            g.writeStringField(ZipkinMapping.ERROR, s.status().message());
        } else if (s.status().code() == StatusCode.OK) {
            g.writeStringField(ZipkinMapping.STATUS_CODE, "OK");
        } else if (attrs.getString(ZipkinMapping.ERROR).filter(v -> !v.equalsIgnoreCase("false")).isPresent()) {
            g.writeStringField(ZipkinMapping.ERROR, attrs.getString(ZipkinMapping.ERROR).get());
        }
        if (!s.scope().name().isEmpty()) {
            g.writeStringField(ZipkinMapping.SCOPE_NAME, s.scope().name());
        }
        if (!s.scope().version().isEmpty()) {
            g.writeStringField(ZipkinMapping.SCOPE_VERSION, s.scope().version());
        }
        if (!s.traceState().isEmpty()) {
            g.writeStringField(ZipkinMapping.TRACE_STATE, s.traceState());
        }
        dropped(g, ZipkinMapping.DROPPED_ATTRIBUTES, s.droppedAttributesCount());
        dropped(g, ZipkinMapping.DROPPED_EVENTS, s.droppedEventsCount());
        dropped(g, ZipkinMapping.DROPPED_LINKS, s.droppedLinksCount());
        if (!warnings.isEmpty()) {
            g.writeStringField(ZipkinMapping.WARNINGS, String.join("; ", warnings));
        }
        g.writeEndObject();
        if (attrs.get(ZipkinMapping.DEBUG).isPresent()) {
            g.writeBooleanField("debug", true);
        }
        if (shared) {
            g.writeBooleanField("shared", true);
        }
        g.writeEndObject();
    }

    private static void dropped(JsonGenerator g, String key, int count) throws IOException {
        if (count > 0) {
            g.writeStringField(key, Integer.toString(count));
        }
    }

    private static void writeAddress(JsonGenerator g, String address, AttributeValue port) throws IOException {
        if (isIp(address)) {
            g.writeStringField(address.indexOf(':') >= 0 ? "ipv6" : "ipv4", address);
        }
        if (port instanceof AttributeValue.LongValue p && p.value() > 0 && p.value() <= 65535) {
            g.writeNumberField("port", p.value());
        }
    }

    /** A literal IPv4 or IPv6 address (Zipkin endpoints hold addresses, never host names). */
    static boolean isIp(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An event without attributes is its name; with attributes {@code "name":{"key":value,…}} (OpenTelemetry). */
    static String annotationValue(SpanEvent e) {
        if (e.attributes().isEmpty()) {
            return e.name();
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart(e.name());
            for (Attribute a : e.attributes().asList()) {
                g.writeFieldName(a.key());
                AttributeJson.write(g, a.value());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        String obj = w.toString();
        return obj.substring(1, obj.length() - 1);
    }

    /** Strings as they are; booleans lower case; numbers as decimals; arrays and maps as JSON. */
    static String tagValue(AttributeValue v) {
        if (v instanceof AttributeValue.ArrayValue || v instanceof AttributeValue.MapValue) {
            return AttributeJson.toJson(v);
        }
        if (v instanceof AttributeValue.DoubleValue d) {
            return Double.toString(d.value());
        }
        return v.asString();
    }
}
