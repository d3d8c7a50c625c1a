package io.spoor.pipeline.sampling.tail;

/** A policy with the {@code name} it has in the configuration (the {@code policy} label of its metrics). */
public record NamedPolicy(String name, Policy policy) {
}
