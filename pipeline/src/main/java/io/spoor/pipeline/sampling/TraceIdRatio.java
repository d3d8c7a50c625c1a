package io.spoor.pipeline.sampling;

import io.spoor.model.TraceId;

/**
 * The OpenTelemetry SDKs' {@code TraceIdRatioBased} decision, so that a trace Spoor keeps at ratio r is one an SDK
 * sampling at r would have kept too: the lower 8 bytes of the trace id, read as a signed long, are kept when their
 * absolute value is below {@code ratio * Long.MAX_VALUE} (the Java SDK's
 * {@code io.opentelemetry.sdk.trace.samplers.TraceIdRatioBasedSampler}, including its edge cases: ratio 0 keeps
 * nothing, ratio 1 keeps everything, and {@code Math.abs(Long.MIN_VALUE)} stays negative and so is kept).
 */
public final class TraceIdRatio {
    private final long idUpperBound;

    public TraceIdRatio(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio must be between 0 and 1, got " + ratio);
        }
        this.idUpperBound = ratio == 0 ? Long.MIN_VALUE : ratio == 1 ? Long.MAX_VALUE : (long) (ratio * Long.MAX_VALUE);
    }

    public static TraceIdRatio ofPercentage(double percentage) {
        return new TraceIdRatio(percentage / 100.0);
    }

    public boolean keeps(TraceId traceId) {
        return Math.abs(traceId.low()) < idUpperBound;
    }
}
