package io.spoor.pipeline.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spoor.limits}: applied by every receiver to the spans it decoded, after admission and before the pipeline
 * takes them, so that whatever one span carries, it is stored within the limits (truncated, with its drops counted)
 * or refused on its own, in the answer to its export (OTLP {@code partial_success}) — never stored and lost later,
 * and never at the cost of the other spans of its export.
 *
 * <p>In order, per span: spans past {@code max_spans_per_request} are refused; times are checked (2^63 ns or more,
 * end before start, older than {@code max_span_age}, ending more than {@code max_time_ahead} ahead: refused); strings
 * are cut and attributes, events and links dropped to the limits, with OpenTelemetry's span-limit semantics
 * ({@link SpanTrimmer}); finally the span's bytes are counted against its trace's {@code max_bytes_per_trace}
 * ({@link TraceByteBudget}), and refused if they do not fit.
 *
 * <p>Why here, in the pipeline module, and not inside the decoders: the limits are the same for every protocol, so
 * they act on model spans, once, rather than in four decoders; and the memory a decoder allocates for an over-long
 * value is already bounded by the request body limit. Why not as a pipeline processor: a refusal must reach the
 * client in the answer to its own export, which processors (futures of "stored or failed") cannot carry.
 *
 * <p>The common case costs a scan of the fields that allocates nothing per span ({@link LimitScan}) and one table
 * update per span; a request whose spans all fit gets its own list back. Thread-safe.
 */
public final class SpanLimiter {
    private final SpanLimitsSettings settings;
    private final Duration maxSpanAge;
    private final Clock clock;
    private final TraceByteBudget budget;
    private final LimitMetrics metrics;

    /**
     * @param retention the store's retention: the default {@code max_span_age}, since an older span would be stored
     *                  only to be deleted by the next retention pass
     */
    public SpanLimiter(SpanLimitsSettings settings, Duration retention, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.maxSpanAge = settings.maxSpanAge().orElse(retention);
        this.clock = clock;
        this.budget = new TraceByteBudget(settings.maxBytesPerTrace(), settings.traceBytesWindow().toNanos(),
                settings.maxTrackedTraces());
        this.metrics = new LimitMetrics(registry, budget);
    }

    public SpanLimitsSettings settings() {
        return settings;
    }

    /** The limits applied to the spans of one request; see the class comment. */
    public LimitedSpans apply(List<Span> spans) {
        long now = nowNanos();
        long oldest = saturatingSub(now, maxSpanAge.toNanos());
        long latest = saturatingAdd(now, settings.maxTimeAhead().toNanos());
        LimitScan scan = new LimitScan(settings);
        LimitTally tally = null;
        SpanTrimmer trimmer = null;
        List<Span> out = null; // stays null while every span is kept as it is
        Resource lastResource = null;
        Resource lastResourceOut = null;
        InstrumentationScope lastScope = null;
        InstrumentationScope lastScopeOut = null;
        Map<Object, Object> trimmed = null; // resources and scopes already trimmed in this request

        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            Refusal refusal = i >= settings.maxSpansPerRequest() ? Refusal.SPANS_PER_REQUEST
                    : timeProblem(s, oldest, latest);
            Span kept = s;
            if (refusal == null) {
                Resource resource = s.resource();
                if (resource != lastResource) {
                    lastResource = resource;
                    lastResourceOut = resource;
                    if (!scan.resourceFits(resource)) {
                        if (trimmed == null) {
                            trimmed = new IdentityHashMap<>();
                        }
                        if (tally == null) {
                            tally = new LimitTally();
                            trimmer = new SpanTrimmer(settings, tally);
                        }
                        SpanTrimmer t = trimmer;
                        lastResourceOut = (Resource) trimmed.computeIfAbsent(resource, r -> t.trim((Resource) r));
                    }
                }
                InstrumentationScope scope = s.scope();
                if (scope != lastScope) {
                    lastScope = scope;
                    lastScopeOut = scope;
                    if (!scan.scopeFits(scope)) {
                        if (trimmed == null) {
                            trimmed = new IdentityHashMap<>();
                        }
                        if (tally == null) {
                            tally = new LimitTally();
                            trimmer = new SpanTrimmer(settings, tally);
                        }
                        SpanTrimmer t = trimmer;
                        lastScopeOut = (InstrumentationScope) trimmed.computeIfAbsent(scope,
                                sc -> t.trim((InstrumentationScope) sc));
                    }
                }
                if (!scan.spanFits(s)) {
                    if (tally == null) {
                        tally = new LimitTally();
                        trimmer = new SpanTrimmer(settings, tally);
                    }
                    kept = trimmer.trim(s, lastResourceOut, lastScopeOut);
                    scan.spanFits(kept); // for its size
                } else if (lastResourceOut != resource || lastScopeOut != scope) {
                    kept = s.toBuilder().resource(lastResourceOut).scope(lastScopeOut).build();
                }
                if (!budget.tryAdd(s.traceId(), scan.bytes, now)) {
                    refusal = Refusal.BYTES_PER_TRACE;
                }
            }
            if (refusal != null) {
                if (tally == null) {
                    tally = new LimitTally();
                    trimmer = new SpanTrimmer(settings, tally);
                }
                tally.refused(refusal, describe(refusal, s, scan.bytes));
            }
            if (out == null && (refusal != null || kept != s)) {
                out = new ArrayList<>(spans.size());
                for (int j = 0; j < i; j++) {
                    out.add(spans.get(j));
                }
            }
            if (out != null && refusal == null) {
                out.add(kept);
            }
        }
        if (tally == null) {
            return new LimitedSpans(spans, 0, "", "");
        }
        metrics.record(tally);
        return new LimitedSpans(out == null ? spans : out, tally.refusedSpans(), tally.refusalMessage(),
                tally.changeMessage());
    }

    /** The time problem of a span, or null. */
    private static Refusal timeProblem(Span s, long oldest, long latest) {
        long start = s.startEpochNanos();
        long end = s.endEpochNanos();
        if (start < 0 || end < 0) {
            return Refusal.TIME_OUT_OF_RANGE;
        }
        if (end < start) {
            return Refusal.END_BEFORE_START;
        }
        if (start < oldest) {
            return Refusal.TOO_OLD;
        }
        if (end > latest) {
            return Refusal.TOO_FAR_AHEAD;
        }
        return null;
    }

    private String describe(Refusal reason, Span s, long bytes) {
        String span = Describe.span(s);
        return switch (reason) {
            case SPANS_PER_REQUEST -> span + ": the export has more than max_spans_per_request "
                    + settings.maxSpansPerRequest() + " spans";
            case TIME_OUT_OF_RANGE -> span + ": start " + Describe.time(s.startEpochNanos()) + ", end "
                    + Describe.time(s.endEpochNanos()) + " is 2^63 ns or more";
            case END_BEFORE_START -> span + ": ends (" + Describe.time(s.endEpochNanos()) + ") before it starts ("
                    + Describe.time(s.startEpochNanos()) + ")";
            case TOO_OLD -> span + ": starts " + Describe.time(s.startEpochNanos()) + ", older than max_span_age "
                    + Describe.duration(maxSpanAge) + " (the store would delete it)";
            case TOO_FAR_AHEAD -> span + ": ends " + Describe.time(s.endEpochNanos()) + ", more than max_time_ahead "
                    + Describe.duration(settings.maxTimeAhead()) + " after the server's clock";
            case BYTES_PER_TRACE -> span + " (" + bytes + " bytes): its trace has received max_bytes_per_trace "
                    + settings.maxBytesPerTrace() + " within trace_bytes_window "
                    + Describe.duration(settings.traceBytesWindow());
        };
    }

    private long nowNanos() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static long saturatingSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
