package io.spoor.pipeline.limits;

import java.util.Locale;

/** Why the limits refused a span: the {@code reason} label of {@code spoor_limits_refused_spans_total}. */
public enum Refusal {
    /** Past {@code max_spans_per_request} in its export. */
    SPANS_PER_REQUEST,
    /** A start or end time of 2^63 ns or more (negative as a signed long): not a time Spoor can store or order. */
    TIME_OUT_OF_RANGE,
    /** Ends before it starts. */
    END_BEFORE_START,
    /** Started longer ago than {@code max_span_age} (by default the store's retention, which would delete it). */
    TOO_OLD,
    /** Ends more than {@code max_time_ahead} after the server's clock. */
    TOO_FAR_AHEAD,
    /** Its trace already received {@code max_bytes_per_trace} within {@code trace_bytes_window}. */
    BYTES_PER_TRACE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
