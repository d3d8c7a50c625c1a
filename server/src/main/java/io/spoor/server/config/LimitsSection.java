package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.limits.SpanLimitsSettings;

/**
 * Reads {@code spoor.limits}: the OpenTelemetry SDK's span-limit keys (declarative-configuration spelling) and Spoor's
 * own; an absent key keeps its default ({@link SpanLimitsSettings#DEFAULTS}).
 */
public record LimitsSection() implements SpoorSection<SpanLimitsSettings> {

    @Override
    public String key() {
        return "limits";
    }

    @Override
    public SpanLimitsSettings defaults() {
        return SpanLimitsSettings.DEFAULTS;
    }

    @Override
    public SpanLimitsSettings parse(ConfigNode node) {
        Section l = Section.of(node, "spoor.limits", "attribute_value_length_limit",
                "attribute_count_limit", "event_count_limit", "link_count_limit", "event_attribute_count_limit",
                "link_attribute_count_limit", "span_name_length_limit", "service_name_length_limit",
                "attribute_key_length_limit", "event_name_length_limit", "max_spans_per_request",
                "max_bytes_per_trace", "trace_bytes_window", "max_tracked_traces", "max_span_age",
                "max_time_ahead");
        SpanLimitsSettings d = SpanLimitsSettings.DEFAULTS;
        SpanLimitsSettings.Builder b = d.toBuilder()
                .attributeValueLengthLimit(count(l, "attribute_value_length_limit", 0, d.attributeValueLengthLimit()))
                .attributeCountLimit(count(l, "attribute_count_limit", 0, d.attributeCountLimit()))
                .eventCountLimit(count(l, "event_count_limit", 0, d.eventCountLimit()))
                .linkCountLimit(count(l, "link_count_limit", 0, d.linkCountLimit()))
                .eventAttributeCountLimit(count(l, "event_attribute_count_limit", 0, d.eventAttributeCountLimit()))
                .linkAttributeCountLimit(count(l, "link_attribute_count_limit", 0, d.linkAttributeCountLimit()))
                .spanNameLengthLimit(count(l, "span_name_length_limit", 0, d.spanNameLengthLimit()))
                .serviceNameLengthLimit(count(l, "service_name_length_limit", 0, d.serviceNameLengthLimit()))
                .attributeKeyLengthLimit(count(l, "attribute_key_length_limit",
                        SpanLimitsSettings.MIN_KEY_LENGTH_LIMIT, d.attributeKeyLengthLimit()))
                .eventNameLengthLimit(count(l, "event_name_length_limit", 0, d.eventNameLengthLimit()))
                .maxSpansPerRequest(count(l, "max_spans_per_request", 1, d.maxSpansPerRequest()))
                .maxBytesPerTrace(l.whole("max_bytes_per_trace", 1, Long.MAX_VALUE).orElse(d.maxBytesPerTrace()))
                .traceBytesWindow(l.duration("trace_bytes_window", false).orElse(d.traceBytesWindow()))
                .maxTrackedTraces(l.whole("max_tracked_traces", 1, SpanLimitsSettings.MAX_TRACKED_TRACES)
                        .orElse((long) d.maxTrackedTraces()).intValue())
                .maxTimeAhead(l.duration("max_time_ahead", true).orElse(d.maxTimeAhead()));
        l.duration("max_span_age", false).ifPresent(b::maxSpanAge);
        return b.build();
    }

    private static int count(Section s, String key, int min, int dflt) {
        return s.whole(key, min, Integer.MAX_VALUE).orElse((long) dflt).intValue();
    }
}
