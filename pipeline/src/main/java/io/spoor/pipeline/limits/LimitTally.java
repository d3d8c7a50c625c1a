package io.spoor.pipeline.limits;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the limits did to one request: values truncated (by field), attributes, events and links dropped, spans
 * refused (by reason), and the first example of each, for the answer to the client and for the metrics. Made only
 * when something happened; not thread-safe.
 */
final class LimitTally {
    /** Which field a truncation shortened: the {@code field} label of the metric. */
    enum Field {
        ATTRIBUTE_VALUE, ATTRIBUTE_KEY, SPAN_NAME, SERVICE_NAME, EVENT_NAME, OTHER;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whose attributes were dropped: the {@code of} label of the metric. */
    enum Owner {
        SPAN, RESOURCE, SCOPE, EVENT, LINK;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final long[] truncated = new long[Field.values().length];
    final long[] droppedAttributes = new long[Owner.values().length];
    long droppedEvents;
    long droppedLinks;
    /** The first truncation or drop, described for the client. */
    String firstChange;
    final Map<Refusal, Integer> refused = new EnumMap<>(Refusal.class);
    final Map<Refusal, String> firstRefusal = new EnumMap<>(Refusal.class);

    void truncated(Field field, String what) {
        truncated[field.ordinal()]++;
        if (firstChange == null) {
            firstChange = what;
        }
    }

    void dropped(Owner owner, long count, String what) {
        droppedAttributes[owner.ordinal()] += count;
        if (firstChange == null) {
            firstChange = what;
        }
    }

    void droppedEvents(long count, String what) {
        droppedEvents += count;
        if (firstChange == null) {
            firstChange = what;
        }
    }

    void droppedLinks(long count, String what) {
        droppedLinks += count;
        if (firstChange == null) {
            firstChange = what;
        }
    }

    void refused(Refusal reason, String what) {
        refused.merge(reason, 1, Integer::sum);
        firstRefusal.putIfAbsent(reason, what);
    }

    int refusedSpans() {
        int n = 0;
        for (int c : refused.values()) {
            n += c;
        }
        return n;
    }

    long truncatedValues() {
        long n = 0;
        for (long c : truncated) {
            n += c;
        }
        return n;
    }

    long droppedAttributes() {
        long n = 0;
        for (long c : droppedAttributes) {
            n += c;
        }
        return n;
    }

    /** "3 spans refused by Spoor's limits: 2 too_old (first: …); 1 bytes_per_trace (first: …)", or "". */
    String refusalMessage() {
        int n = refusedSpans();
        if (n == 0) {
            return "";
        }
        StringBuilder m = new StringBuilder().append(n).append(n == 1 ? " span" : " spans")
                .append(" refused by Spoor's limits: ");
        String sep = "";
        for (Map.Entry<Refusal, Integer> e : refused.entrySet()) {
            m.append(sep).append(e.getValue()).append(' ').append(e.getKey().tag()).append(" (first: ")
                    .append(firstRefusal.get(e.getKey())).append(')');
            sep = "; ";
        }
        return m.toString();
    }

    /** "Spoor's limits truncated 2 values and dropped 5 attributes, 1 event (first: …)", or "". */
    String changeMessage() {
        long values = truncatedValues();
        long attributes = droppedAttributes();
        if (values == 0 && attributes == 0 && droppedEvents == 0 && droppedLinks == 0) {
            return "";
        }
        StringBuilder m = new StringBuilder("Spoor's limits ");
        String sep = "";
        if (values > 0) {
            m.append("truncated ").append(values).append(values == 1 ? " value" : " values");
            sep = " and ";
        }
        if (attributes > 0 || droppedEvents > 0 || droppedLinks > 0) {
            m.append(sep).append("dropped ");
            String comma = "";
            if (attributes > 0) {
                m.append(attributes).append(attributes == 1 ? " attribute" : " attributes");
                comma = ", ";
            }
            if (droppedEvents > 0) {
                m.append(comma).append(droppedEvents).append(droppedEvents == 1 ? " event" : " events");
                comma = ", ";
            }
            if (droppedLinks > 0) {
                m.append(comma).append(droppedLinks).append(droppedLinks == 1 ? " link" : " links");
            }
        }
        return m.append(" (first: ").append(firstChange).append(')').toString();
    }
}
