package io.spoor.pipeline.limits;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes a span, resource or scope that {@link LimitScan} found over a limit fit, with the OpenTelemetry SDK's
 * semantics: strings (and each string in an array or map, and bytes) cut to the length limit, the first attributes,
 * events and links kept and the rest dropped and added to the owner's {@code dropped_*_count}. Only spans that need it
 * come here, so this path may allocate. Every change is counted in the {@link LimitTally}.
 */
final class SpanTrimmer {
    private final SpanLimitsSettings l;
    private final LimitTally tally;
    /** Attributes dropped by the last {@link #attributes} call. */
    private int lastDropped;

    SpanTrimmer(SpanLimitsSettings limits, LimitTally tally) {
        this.l = limits;
        this.tally = tally;
    }

    /** The span within the limits, with {@code resource} and {@code scope} (already trimmed) in place of its own. */
    Span trim(Span s, Resource resource, InstrumentationScope scope) {
        Supplier<String> who = () -> Describe.span(s);
        Span.Builder b = s.toBuilder().resource(resource).scope(scope);
        b.name(text(s.name(), l.spanNameLengthLimit(), LimitTally.Field.SPAN_NAME, who, "name",
                "span_name_length_limit"));
        b.traceState(text(s.traceState(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, who, "trace state",
                "attribute_value_length_limit"));
        String message = text(s.status().message(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, who,
                "status message", "attribute_value_length_limit");
        if (message != s.status().message()) {
            b.status(new Status(s.status().code(), message));
        }
        b.attributes(attributes(s.attributes(), l.attributeCountLimit(), LimitTally.Owner.SPAN, who));
        b.droppedAttributesCount(addUnsigned(s.droppedAttributesCount(), lastDropped));

        List<SpanEvent> events = s.events();
        int keepEvents = Math.min(events.size(), l.eventCountLimit());
        if (keepEvents < events.size()) {
            int dropped = events.size() - keepEvents;
            tally.droppedEvents(dropped, who.get() + ": " + events.size() + " events, event_count_limit "
                    + l.eventCountLimit());
            b.droppedEventsCount(addUnsigned(s.droppedEventsCount(), dropped));
        }
        List<SpanEvent> newEvents = new ArrayList<>(keepEvents);
        for (int i = 0; i < keepEvents; i++) {
            SpanEvent e = events.get(i);
            Supplier<String> ewho = () -> who.get() + " event " + Describe.quoted(e.name());
            String name = text(e.name(), l.eventNameLengthLimit(), LimitTally.Field.EVENT_NAME, ewho, "name",
                    "event_name_length_limit");
            Attributes attributes = attributes(e.attributes(), l.eventAttributeCountLimit(), LimitTally.Owner.EVENT,
                    ewho);
            newEvents.add(name == e.name() && attributes == e.attributes() ? e : new SpanEvent(e.epochNanos(), name,
                    attributes, addUnsigned(e.droppedAttributesCount(), lastDropped)));
        }
        b.events(newEvents);

        List<SpanLink> links = s.links();
        int keepLinks = Math.min(links.size(), l.linkCountLimit());
        if (keepLinks < links.size()) {
            int dropped = links.size() - keepLinks;
            tally.droppedLinks(dropped, who.get() + ": " + links.size() + " links, link_count_limit "
                    + l.linkCountLimit());
            b.droppedLinksCount(addUnsigned(s.droppedLinksCount(), dropped));
        }
        List<SpanLink> newLinks = new ArrayList<>(keepLinks);
        for (int i = 0; i < keepLinks; i++) {
            SpanLink k = links.get(i);
            Supplier<String> kwho = () -> who.get() + " link to " + k.traceId().toHex();
            String traceState = text(k.traceState(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, kwho,
                    "trace state", "attribute_value_length_limit");
            Attributes attributes = attributes(k.attributes(), l.linkAttributeCountLimit(), LimitTally.Owner.LINK,
                    kwho);
            newLinks.add(traceState == k.traceState() && attributes == k.attributes() ? k : new SpanLink(k.traceId(),
                    k.spanId(), traceState, attributes, addUnsigned(k.droppedAttributesCount(), lastDropped),
                    k.flags()));
        }
        b.links(newLinks);
        return b.build();
    }

    Resource trim(Resource r) {
        Supplier<String> who = () -> Describe.resource(r);
        String schemaUrl = text(r.schemaUrl(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, who,
                "schema URL", "attribute_value_length_limit");
        Attributes attributes = attributes(r.attributes(), l.attributeCountLimit(), LimitTally.Owner.RESOURCE, who);
        return new Resource(attributes, schemaUrl, addUnsigned(r.droppedAttributesCount(), lastDropped));
    }

    InstrumentationScope trim(InstrumentationScope s) {
        Supplier<String> who = () -> "scope " + Describe.quoted(s.name());
        String name = text(s.name(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, who, "name",
                "attribute_value_length_limit");
        String version = text(s.version(), l.attributeValueLengthLimit(), LimitTally.Field.OTHER, who, "version",
                "attribute_value_length_limit");
        Attributes attributes = attributes(s.attributes(), l.attributeCountLimit(), LimitTally.Owner.SCOPE, who);
        return new InstrumentationScope(name, version, attributes, addUnsigned(s.droppedAttributesCount(),
                lastDropped));
    }

    /** The first {@code countLimit} attributes, each trimmed; sets {@link #lastDropped}. Same instance if unchanged. */
    private Attributes attributes(Attributes attributes, int countLimit, LimitTally.Owner owner,
                                  Supplier<String> who) {
        List<Attribute> list = attributes.asList();
        int keep = Math.min(list.size(), countLimit);
        int dropped = list.size() - keep;
        if (dropped > 0) {
            int received = list.size();
            List<Attribute> withName = owner == LimitTally.Owner.RESOURCE ? keepServiceName(list, keep) : list;
            if (withName != list) {
                list = withName;
                keep = list.size();
                dropped = received - keep;
            }
            tally.dropped(owner, dropped, who.get() + ": " + received + " attributes, " + countLimitKey(owner) + " "
                    + countLimit);
        }
        Attribute[] out = null;
        for (int i = 0; i < keep; i++) {
            Attribute a = list.get(i);
            Attribute t = attribute(a, owner == LimitTally.Owner.RESOURCE, who);
            if (t != a && out == null) {
                out = new Attribute[keep];
                for (int j = 0; j < i; j++) {
                    out[j] = list.get(j);
                }
            }
            if (out != null) {
                out[i] = t;
            }
        }
        lastDropped = dropped;
        if (out == null && dropped == 0) {
            return attributes;
        }
        return new Attributes(out != null ? Arrays.asList(out) : list.subList(0, keep));
    }

    /**
     * A resource never loses its {@code service.name} to the count limit (the SDKs sort attributes by key, so it is
     * often last): it takes the place of the last attribute kept, or is kept alone when the limit is 0.
     */
    private static List<Attribute> keepServiceName(List<Attribute> list, int keep) {
        for (int i = keep; i < list.size(); i++) {
            if (list.get(i).key().equals(Resource.SERVICE_NAME)) {
                List<Attribute> out = new ArrayList<>(Math.max(keep, 1));
                out.addAll(list.subList(0, Math.max(0, keep - 1)));
                out.add(list.get(i));
                return out;
            }
        }
        return list;
    }

    private static String countLimitKey(LimitTally.Owner owner) {
        return switch (owner) {
            case EVENT -> "event_attribute_count_limit";
            case LINK -> "link_attribute_count_limit";
            default -> "attribute_count_limit";
        };
    }

    private Attribute attribute(Attribute a, boolean ofResource, Supplier<String> who) {
        String key = text(a.key(), l.attributeKeyLengthLimit(), LimitTally.Field.ATTRIBUTE_KEY, who, "attribute key",
                "attribute_key_length_limit");
        AttributeValue value;
        if (ofResource && a.key().equals(Resource.SERVICE_NAME) && a.value() instanceof AttributeValue.StringValue v) {
            String s = text(v.value(), l.serviceNameLengthLimit(), LimitTally.Field.SERVICE_NAME, who,
                    "service.name", "service_name_length_limit");
            value = s == v.value() ? v : new AttributeValue.StringValue(s);
        } else {
            value = value(a.value(), key, who);
        }
        return key == a.key() && value == a.value() ? a : new Attribute(key, value);
    }

    private AttributeValue value(AttributeValue v, String key, Supplier<String> who) {
        switch (v) {
            case AttributeValue.StringValue s -> {
                String t = text(s.value(), l.attributeValueLengthLimit(), LimitTally.Field.ATTRIBUTE_VALUE, who,
                        "value of " + Describe.quoted(key), "attribute_value_length_limit");
                return t == s.value() ? s : new AttributeValue.StringValue(t);
            }
            case AttributeValue.BytesValue b -> {
                if (b.length() <= l.attributeValueLengthLimit()) {
                    return b;
                }
                tally.truncated(LimitTally.Field.ATTRIBUTE_VALUE, who.get() + ": value of " + Describe.quoted(key)
                        + " is " + b.length() + " bytes, attribute_value_length_limit " + l.attributeValueLengthLimit());
                return new AttributeValue.BytesValue(Arrays.copyOf(b.value(), l.attributeValueLengthLimit()));
            }
            case AttributeValue.ArrayValue a -> {
                List<AttributeValue> values = a.values();
                AttributeValue[] out = null;
                for (int i = 0; i < values.size(); i++) {
                    AttributeValue e = values.get(i);
                    AttributeValue t = value(e, key, who);
                    if (t != e && out == null) {
                        out = values.toArray(new AttributeValue[0]);
                    }
                    if (out != null) {
                        out[i] = t;
                    }
                }
                return out == null ? a : new AttributeValue.ArrayValue(Arrays.asList(out));
            }
            case AttributeValue.MapValue m -> {
                int saved = lastDropped;
                Attributes t = attributes(m.values(), Integer.MAX_VALUE, LimitTally.Owner.SPAN, who);
                lastDropped = saved;
                return t == m.values() ? m : new AttributeValue.MapValue(t);
            }
            default -> {
                return v;
            }
        }
    }

    /**
     * {@code s} cut to {@code limit} characters, or {@code s} itself. A cut never splits a surrogate pair (it keeps
     * one character less), so the result is always valid UTF-16.
     */
    private String text(String s, int limit, LimitTally.Field field, Supplier<String> who, String what,
                        String limitKey) {
        if (s.length() <= limit) {
            return s;
        }
        tally.truncated(field, who.get() + ": " + what + " is " + s.length() + " characters, " + limitKey + " "
                + limit);
        return truncate(s, limit);
    }

    static String truncate(String s, int limit) {
        int end = limit;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** {@code a + b} as unsigned 32-bit counts (OTLP's uint32), saturating at 2^32 - 1 rather than wrapping. */
    static int addUnsigned(int a, long b) {
        long sum = Integer.toUnsignedLong(a) + b;
        return sum >= 0xFFFF_FFFFL ? -1 : (int) sum;
    }
}
