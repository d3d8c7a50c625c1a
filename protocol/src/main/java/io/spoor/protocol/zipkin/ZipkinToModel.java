package io.spoor.protocol.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link ZipkinFields} into model spans, the way OpenTelemetry maps Zipkin (see {@link ZipkinMapping}). Spans
 * of one report with the same local service (and the same scope) share their {@link Resource} and
 * {@link InstrumentationScope} objects, as an OTLP export's would.
 */
final class ZipkinToModel {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long MAX_MICROS = Long.MAX_VALUE / 1000;

    private final Map<String, Resource> resources = new HashMap<>();
    private final Map<String, InstrumentationScope> scopes = new HashMap<>();
    final List<Span> spans = new ArrayList<>();

    void add(ZipkinFields f, int index) {
        if (!f.hasTraceId || (f.traceIdHigh == 0 && f.traceIdLow == 0)) {
            throw new ZipkinDecodeException("span " + index + ": traceId is missing or zero");
        }
        if (f.id == 0) {
            throw new ZipkinDecodeException("span " + index + ": id is missing or zero");
        }
        long startMicros = f.timestampMicros;
        if (!f.hasTimestamp) {
            // Zipkin allows a span without timestamp (a late half); use its earliest annotation, if any
            if (f.annotationTimestamps.isEmpty()) {
                throw new ZipkinDecodeException("span " + index + ": timestamp is missing (and no annotation has one)");
            }
            startMicros = f.annotationTimestamps.stream().mapToLong(Long::longValue).min().getAsLong();
        }
        if (startMicros < 0 || startMicros > MAX_MICROS || f.durationMicros < 0 || f.durationMicros > MAX_MICROS
                || startMicros + f.durationMicros > MAX_MICROS) {
            throw new ZipkinDecodeException("span " + index + ": timestamp/duration out of range");
        }
        long start = startMicros * 1000;
        long end = start + f.durationMicros * 1000;

        List<Attribute> attributes = new ArrayList<>(f.tagKeys.size() + 4);
        Status status = Status.UNSET;
        String statusCode = null;
        String statusDescription = null;
        String errorTag = null;
        String scopeName = "";
        String scopeVersion = "";
        String traceState = "";
        int droppedAttributes = 0;
        int droppedEvents = 0;
        int droppedLinks = 0;
        boolean peerServiceTag = false;
        for (int i = 0; i < f.tagKeys.size(); i++) {
            String k = f.tagKeys.get(i);
            String v = f.tagValues.get(i);
            switch (k) {
                case ZipkinMapping.STATUS_CODE -> statusCode = v;
                case ZipkinMapping.STATUS_DESCRIPTION -> statusDescription = v;
                case ZipkinMapping.ERROR -> errorTag = v;
                case ZipkinMapping.SCOPE_NAME, ZipkinMapping.LEGACY_SCOPE_NAME -> scopeName = v;
                case ZipkinMapping.SCOPE_VERSION, ZipkinMapping.LEGACY_SCOPE_VERSION -> scopeVersion = v;
                case ZipkinMapping.TRACE_STATE -> traceState = v;
                case ZipkinMapping.DROPPED_ATTRIBUTES -> droppedAttributes = count(v);
                case ZipkinMapping.DROPPED_EVENTS -> droppedEvents = count(v);
                case ZipkinMapping.DROPPED_LINKS -> droppedLinks = count(v);
                default -> {
                    if (k.equals(ZipkinMapping.PEER_SERVICE)) {
                        peerServiceTag = true;
                    }
                    attributes.add(new Attribute(k, AttributeValue.of(v)));
                }
            }
        }
        // Zipkin treats any "error" tag as a failure; its value is the description. "false" is an OpenTracing
        // leftover that OpenTelemetry's mapping says to drop.
        if (errorTag != null && !errorTag.equalsIgnoreCase("false")) {
            status = new Status(StatusCode.ERROR, errorTag);
        } else if ("ERROR".equalsIgnoreCase(statusCode)) {
            status = new Status(StatusCode.ERROR, statusDescription == null ? "" : statusDescription);
        } else if ("OK".equalsIgnoreCase(statusCode)) {
            status = new Status(StatusCode.OK, "");
        }
        if (!f.local.ip().isEmpty()) {
            attributes.add(new Attribute(ZipkinMapping.LOCAL_ADDRESS, AttributeValue.of(f.local.ip())));
        }
        if (f.local.port != 0) {
            attributes.add(new Attribute(ZipkinMapping.LOCAL_PORT, AttributeValue.of((long) f.local.port)));
        }
        if (!f.remote.serviceName.isEmpty() && !peerServiceTag) {
            attributes.add(new Attribute(ZipkinMapping.PEER_SERVICE, AttributeValue.of(f.remote.serviceName)));
        }
        if (!f.remote.ip().isEmpty()) {
            attributes.add(new Attribute(ZipkinMapping.PEER_ADDRESS, AttributeValue.of(f.remote.ip())));
        }
        if (f.remote.port != 0) {
            attributes.add(new Attribute(ZipkinMapping.PEER_PORT, AttributeValue.of((long) f.remote.port)));
        }
        if (f.debug) {
            attributes.add(new Attribute(ZipkinMapping.DEBUG, AttributeValue.of(true)));
        }
        SpanKind kind = switch (f.kind) {
            case "CLIENT" -> SpanKind.CLIENT;
            case "SERVER" -> SpanKind.SERVER;
            case "PRODUCER" -> SpanKind.PRODUCER;
            case "CONSUMER" -> SpanKind.CONSUMER;
            case "" -> SpanKind.INTERNAL;
            default -> throw new ZipkinDecodeException("span " + index + ": kind '" + f.kind
                    + "' is not one of CLIENT, SERVER, PRODUCER, CONSUMER");
        };
        long spanId = f.id;
        long parentId = f.parentId == f.id ? 0 : f.parentId;
        if (f.shared && kind == SpanKind.SERVER) {
            spanId = ZipkinMapping.sharedServerSpanId(f.id);
            parentId = f.id;
            attributes.add(new Attribute(ZipkinMapping.SHARED, AttributeValue.of(true)));
        }
        List<SpanEvent> events = List.of();
        if (!f.annotationValues.isEmpty()) {
            events = new ArrayList<>(f.annotationValues.size());
            for (int i = 0; i < f.annotationValues.size(); i++) {
                long ts = f.annotationTimestamps.get(i);
                if (ts < 0 || ts > MAX_MICROS) {
                    throw new ZipkinDecodeException("span " + index + ": annotation timestamp out of range");
                }
                events.add(event(ts * 1000, f.annotationValues.get(i)));
            }
        }
        spans.add(Span.builder(new TraceId(f.traceIdHigh, f.traceIdLow), spanId)
                .parentSpanId(parentId)
                .traceState(traceState)
                .name(f.name)
                .kind(kind)
                .startEpochNanos(start)
                .endEpochNanos(end)
                .attributes(new Attributes(attributes))
                .droppedAttributesCount(droppedAttributes)
                .events(events)
                .droppedEventsCount(droppedEvents)
                .droppedLinksCount(droppedLinks)
                .status(status)
                .resource(resource(f.local.serviceName))
                .scope(scope(scopeName, scopeVersion))
                .build());
    }

    private static int count(String v) {
        try {
            return Math.max(0, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Resource resource(String serviceName) {
        return resources.computeIfAbsent(serviceName, s -> s.isEmpty() ? Resource.EMPTY
                : new Resource(Attributes.of(Resource.SERVICE_NAME, s), ""));
    }

    private InstrumentationScope scope(String name, String version) {
        if (name.isEmpty() && version.isEmpty()) {
            return InstrumentationScope.EMPTY;
        }
        // spans of a report mostly come from one or a few libraries: check the last one before building a map key
        InstrumentationScope last = lastScope;
        if (last != null && last.name().equals(name) && last.version().equals(version)) {
            return last;
        }
        lastScope = scopes.computeIfAbsent(name + '\0' + version, k -> new InstrumentationScope(name, version,
                Attributes.EMPTY));
        return lastScope;
    }

    private InstrumentationScope lastScope;

    /**
     * An annotation becomes an event. OpenTelemetry writes an event with attributes as
     * {@code "name":{"key":value,…}}; that form is read back into name and typed attributes, anything else is the
     * event's name.
     */
    static SpanEvent event(long epochNanos, String value) {
        if (value.length() > 3 && value.charAt(0) == '"' && value.endsWith("}")) {
            SpanEvent parsed = parseEventJson(epochNanos, value);
            if (parsed != null) {
                return parsed;
            }
        }
        return new SpanEvent(epochNanos, value, Attributes.EMPTY, 0);
    }

    private static SpanEvent parseEventJson(long epochNanos, String value) {
        try (JsonParser p = JSON.createParser("{" + value + "}")) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<Attribute> attributes = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                AttributeValue v = jsonValue(p);
                if (v == null) {
                    return null;
                }
                attributes.add(new Attribute(key, v));
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != JsonToken.END_OBJECT
                    || p.nextToken() != null) {
                return null;
            }
            return new SpanEvent(epochNanos, name, new Attributes(attributes), 0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static AttributeValue jsonValue(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> AttributeValue.of(p.getText());
            case VALUE_TRUE -> AttributeValue.of(true);
            case VALUE_FALSE -> AttributeValue.of(false);
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? AttributeValue.of(p.getText()) : AttributeValue.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> AttributeValue.of(p.getDoubleValue());
            case START_ARRAY -> {
                List<AttributeValue> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    AttributeValue v = jsonValue(p);
                    if (v == null) {
                        yield null;
                    }
                    values.add(v);
                }
                yield new AttributeValue.ArrayValue(values);
            }
            default -> null;
        };
    }
}
