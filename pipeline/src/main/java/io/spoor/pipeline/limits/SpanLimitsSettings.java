package io.spoor.pipeline.limits;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code spoor.limits}: what one span, one request and one trace may hold. The first six have the OpenTelemetry SDK's
 * span-limit meaning and its declarative-configuration names; the rest are Spoor's own. docs/configuration.md
 * documents each with its default and what happens past it.
 *
 * @param attributeValueLengthLimit  longest string (and each string in an array or map, and bytes value), in
 *                                   characters (UTF-16 units, as the Java SDK counts); longer ones are truncated.
 *                                   Also bounds the other free-text fields: status message, trace state, scope name
 *                                   and version, schema URL
 * @param attributeCountLimit        attributes per span, per resource and per scope; the first ones are kept, the
 *                                   rest dropped and counted in the owner's {@code dropped_attributes_count}
 * @param eventCountLimit            events per span (first kept, rest counted in {@code dropped_events_count})
 * @param linkCountLimit             links per span (first kept, rest counted in {@code dropped_links_count})
 * @param eventAttributeCountLimit   attributes per event
 * @param linkAttributeCountLimit    attributes per link
 * @param spanNameLengthLimit        longest span name; longer ones are truncated
 * @param serviceNameLengthLimit     longest {@code service.name} resource attribute; longer ones are truncated
 * @param attributeKeyLengthLimit    longest attribute key (also in maps); longer ones are truncated
 * @param eventNameLengthLimit       longest event name; longer ones are truncated
 * @param maxSpansPerRequest         spans one export may carry; those past it are refused (partial success)
 * @param maxBytesPerTrace           bytes (Spoor's estimate of a span's size, see {@link SpanSize}) one trace may
 *                                   receive within {@code traceBytesWindow}; further spans are refused
 * @param traceBytesWindow           the window {@code maxBytesPerTrace} counts in, from a trace's first span
 * @param maxTrackedTraces           how many traces the byte budget remembers (a fixed table, ~40 bytes each)
 * @param maxSpanAge                 spans that started longer ago are refused; empty: the store's retention
 * @param maxTimeAhead               spans that end further in the future than this (by the server's clock) are
 *                                   refused
 */
public record SpanLimitsSettings(
        int attributeValueLengthLimit,
        int attributeCountLimit,
        int eventCountLimit,
        int linkCountLimit,
        int eventAttributeCountLimit,
        int linkAttributeCountLimit,
        int spanNameLengthLimit,
        int serviceNameLengthLimit,
        int attributeKeyLengthLimit,
        int eventNameLengthLimit,
        int maxSpansPerRequest,
        long maxBytesPerTrace,
        Duration traceBytesWindow,
        int maxTrackedTraces,
        Optional<Duration> maxSpanAge,
        Duration maxTimeAhead) {

    public static final SpanLimitsSettings DEFAULTS = new SpanLimitsSettings(
            32 * 1024,
            1024,
            1024,
            1024,
            128,
            128,
            1024,
            256,
            256,
            1024,
            100_000,
            50L * 1024 * 1024,
            Duration.ofMinutes(5),
            65_536,
            Optional.empty(),
            Duration.ofHours(1));

    /** The smallest attribute key length limit: semantic-convention keys that Spoor reads stay whole. */
    public static final int MIN_KEY_LENGTH_LIMIT = 32;
    /** The largest byte-budget table: 2^24 traces, ~640 MiB, allocated at start. */
    public static final int MAX_TRACKED_TRACES = 1 << 24;

    public SpanLimitsSettings {
        nonNegative("attribute_value_length_limit", attributeValueLengthLimit);
        nonNegative("attribute_count_limit", attributeCountLimit);
        nonNegative("event_count_limit", eventCountLimit);
        nonNegative("link_count_limit", linkCountLimit);
        nonNegative("event_attribute_count_limit", eventAttributeCountLimit);
        nonNegative("link_attribute_count_limit", linkAttributeCountLimit);
        nonNegative("span_name_length_limit", spanNameLengthLimit);
        nonNegative("service_name_length_limit", serviceNameLengthLimit);
        if (attributeKeyLengthLimit < MIN_KEY_LENGTH_LIMIT) {
            // shorter would cut the keys Spoor itself reads (service.name, http.response.status_code, ...)
            throw new IllegalArgumentException("spoor.limits.attribute_key_length_limit must be at least "
                    + MIN_KEY_LENGTH_LIMIT);
        }
        nonNegative("event_name_length_limit", eventNameLengthLimit);
        if (maxSpansPerRequest < 1) {
            throw new IllegalArgumentException("spoor.limits.max_spans_per_request must be at least 1");
        }
        if (maxBytesPerTrace < 1) {
            throw new IllegalArgumentException("spoor.limits.max_bytes_per_trace must be at least 1");
        }
        if (traceBytesWindow.isNegative() || traceBytesWindow.isZero()) {
            throw new IllegalArgumentException("spoor.limits.trace_bytes_window must be positive");
        }
        if (maxTrackedTraces < 1 || maxTrackedTraces > MAX_TRACKED_TRACES) {
            throw new IllegalArgumentException("spoor.limits.max_tracked_traces must be between 1 and "
                    + MAX_TRACKED_TRACES);
        }
        maxSpanAge.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("spoor.limits.max_span_age must be positive");
            }
        });
        if (maxTimeAhead.isNegative()) {
            throw new IllegalArgumentException("spoor.limits.max_time_ahead must not be negative");
        }
    }

    private static void nonNegative(String key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("spoor.limits." + key + " must not be negative");
        }
    }

    /** A builder starting from these settings, to change some fields (tests and configuration do). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Field-by-field changes of a settings value. */
    public static final class Builder {
        private int attributeValueLengthLimit;
        private int attributeCountLimit;
        private int eventCountLimit;
        private int linkCountLimit;
        private int eventAttributeCountLimit;
        private int linkAttributeCountLimit;
        private int spanNameLengthLimit;
        private int serviceNameLengthLimit;
        private int attributeKeyLengthLimit;
        private int eventNameLengthLimit;
        private int maxSpansPerRequest;
        private long maxBytesPerTrace;
        private Duration traceBytesWindow;
        private int maxTrackedTraces;
        private Optional<Duration> maxSpanAge;
        private Duration maxTimeAhead;

        private Builder(SpanLimitsSettings s) {
            attributeValueLengthLimit = s.attributeValueLengthLimit;
            attributeCountLimit = s.attributeCountLimit;
            eventCountLimit = s.eventCountLimit;
            linkCountLimit = s.linkCountLimit;
            eventAttributeCountLimit = s.eventAttributeCountLimit;
            linkAttributeCountLimit = s.linkAttributeCountLimit;
            spanNameLengthLimit = s.spanNameLengthLimit;
            serviceNameLengthLimit = s.serviceNameLengthLimit;
            attributeKeyLengthLimit = s.attributeKeyLengthLimit;
            eventNameLengthLimit = s.eventNameLengthLimit;
            maxSpansPerRequest = s.maxSpansPerRequest;
            maxBytesPerTrace = s.maxBytesPerTrace;
            traceBytesWindow = s.traceBytesWindow;
            maxTrackedTraces = s.maxTrackedTraces;
            maxSpanAge = s.maxSpanAge;
            maxTimeAhead = s.maxTimeAhead;
        }

        public Builder attributeValueLengthLimit(int v) { attributeValueLengthLimit = v; return this; }
        public Builder attributeCountLimit(int v) { attributeCountLimit = v; return this; }
        public Builder eventCountLimit(int v) { eventCountLimit = v; return this; }
        public Builder linkCountLimit(int v) { linkCountLimit = v; return this; }
        public Builder eventAttributeCountLimit(int v) { eventAttributeCountLimit = v; return this; }
        public Builder linkAttributeCountLimit(int v) { linkAttributeCountLimit = v; return this; }
        public Builder spanNameLengthLimit(int v) { spanNameLengthLimit = v; return this; }
        public Builder serviceNameLengthLimit(int v) { serviceNameLengthLimit = v; return this; }
        public Builder attributeKeyLengthLimit(int v) { attributeKeyLengthLimit = v; return this; }
        public Builder eventNameLengthLimit(int v) { eventNameLengthLimit = v; return this; }
        public Builder maxSpansPerRequest(int v) { maxSpansPerRequest = v; return this; }
        public Builder maxBytesPerTrace(long v) { maxBytesPerTrace = v; return this; }
        public Builder traceBytesWindow(Duration v) { traceBytesWindow = v; return this; }
        public Builder maxTrackedTraces(int v) { maxTrackedTraces = v; return this; }
        public Builder maxSpanAge(Duration v) { maxSpanAge = Optional.of(v); return this; }
        public Builder maxTimeAhead(Duration v) { maxTimeAhead = v; return this; }

        public SpanLimitsSettings build() {
            return new SpanLimitsSettings(attributeValueLengthLimit, attributeCountLimit, eventCountLimit,
                    linkCountLimit, eventAttributeCountLimit, linkAttributeCountLimit, spanNameLengthLimit,
                    serviceNameLengthLimit, attributeKeyLengthLimit, eventNameLengthLimit, maxSpansPerRequest,
                    maxBytesPerTrace, traceBytesWindow, maxTrackedTraces, maxSpanAge, maxTimeAhead);
        }
    }
}
