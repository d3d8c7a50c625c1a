package io.spoor.pipeline.limits;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanLink;
import java.util.List;

/**
 * The hot path of the limits: does a span (its resource, its scope) keep within every limit, and how many bytes is it?
 * A scan over the fields with indexed loops and no allocation, so that compliant spans cost only the reading. It stops
 * at the first excess: spans that do not fit are trimmed by {@link SpanTrimmer} and scanned again for their size.
 *
 * <p>The size is Spoor's estimate of what a span takes, the basis of {@code max_bytes_per_trace}: the characters of
 * its strings (one byte each, as in ASCII), 8 bytes per number, fixed overheads for a span (64: ids, times, kind,
 * flags), an event (16) and a link (32). Resource and scope are left out: they are shared by many spans.
 *
 * <p>Not thread-safe: one instance per request.
 */
final class LimitScan {
    static final int SPAN_BYTES = 64;
    static final int EVENT_BYTES = 16;
    static final int LINK_BYTES = 32;

    private final SpanLimitsSettings l;
    /** The size of the span last scanned by {@link #spanFits}, valid when it returned true. */
    long bytes;

    LimitScan(SpanLimitsSettings limits) {
        this.l = limits;
    }

    /** The span's own fields (not its resource or scope) keep within the limits; sets {@link #bytes}. */
    boolean spanFits(Span s) {
        bytes = SPAN_BYTES;
        if (!text(s.name(), l.spanNameLengthLimit()) || !text(s.traceState(), l.attributeValueLengthLimit())
                || !text(s.status().message(), l.attributeValueLengthLimit())
                || !attributes(s.attributes(), l.attributeCountLimit())) {
            return false;
        }
        List<SpanEvent> events = s.events();
        if (events.size() > l.eventCountLimit()) {
            return false;
        }
        for (int i = 0; i < events.size(); i++) {
            SpanEvent e = events.get(i);
            bytes += EVENT_BYTES;
            if (!text(e.name(), l.eventNameLengthLimit()) || !attributes(e.attributes(), l.eventAttributeCountLimit())) {
                return false;
            }
        }
        List<SpanLink> links = s.links();
        if (links.size() > l.linkCountLimit()) {
            return false;
        }
        for (int i = 0; i < links.size(); i++) {
            SpanLink k = links.get(i);
            bytes += LINK_BYTES;
            if (!text(k.traceState(), l.attributeValueLengthLimit())
                    || !attributes(k.attributes(), l.linkAttributeCountLimit())) {
                return false;
            }
        }
        return true;
    }

    boolean resourceFits(Resource r) {
        if (!text(r.schemaUrl(), l.attributeValueLengthLimit())) {
            return false;
        }
        List<Attribute> list = r.attributes().asList();
        if (list.size() > l.attributeCountLimit()) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            Attribute a = list.get(i);
            if (!text(a.key(), l.attributeKeyLengthLimit())) {
                return false;
            }
            if (a.key().equals(Resource.SERVICE_NAME) && a.value() instanceof AttributeValue.StringValue v) {
                if (!text(v.value(), l.serviceNameLengthLimit())) {
                    return false;
                }
            } else if (!value(a.value())) {
                return false;
            }
        }
        return true;
    }

    boolean scopeFits(InstrumentationScope s) {
        return text(s.name(), l.attributeValueLengthLimit()) && text(s.version(), l.attributeValueLengthLimit())
                && attributes(s.attributes(), l.attributeCountLimit());
    }

    private boolean text(String s, int limit) {
        bytes += s.length();
        return s.length() <= limit;
    }

    private boolean attributes(Attributes attributes, int countLimit) {
        List<Attribute> list = attributes.asList();
        if (list.size() > countLimit) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            Attribute a = list.get(i);
            if (!text(a.key(), l.attributeKeyLengthLimit()) || !value(a.value())) {
                return false;
            }
        }
        return true;
    }

    /** Strings, bytes and (recursively) the strings in arrays and maps within the value length limit. */
    private boolean value(AttributeValue v) {
        switch (v) {
            case AttributeValue.StringValue s -> {
                return text(s.value(), l.attributeValueLengthLimit());
            }
            case AttributeValue.BytesValue b -> {
                bytes += b.length();
                return b.length() <= l.attributeValueLengthLimit();
            }
            case AttributeValue.ArrayValue a -> {
                List<AttributeValue> values = a.values();
                for (int i = 0; i < values.size(); i++) {
                    if (!value(values.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case AttributeValue.MapValue m -> {
                return attributes(m.values(), Integer.MAX_VALUE); // OpenTelemetry limits no count inside a map
            }
            default -> {
                bytes += 8; // bool, long, double
                return true;
            }
        }
    }
}
