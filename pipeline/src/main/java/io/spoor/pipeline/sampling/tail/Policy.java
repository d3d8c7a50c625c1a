package io.spoor.pipeline.sampling.tail;

/**
 * One tail-sampling rule, evaluated once per trace when its decision is due. Policies are called under the
 * sampler's lock, so stateful ones (rate limits, latency sketches) need no synchronisation of their own.
 */
@FunctionalInterface
public interface Policy {
    Decision evaluate(TraceView trace, long nowNanos);
}
