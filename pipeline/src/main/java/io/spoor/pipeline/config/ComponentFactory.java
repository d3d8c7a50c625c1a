package io.spoor.pipeline.config;

/**
 * What every kind of component (receiver, processor, exporter, storage engine) has in common, as in the
 * OpenTelemetry Collector: a type name as written in the file ({@code batch}, {@code otlp}), the settings it runs
 * with when nothing is written, and the reading of its own section. The kinds add how a component is created with
 * what comes after it (a processor with its next stage, a receiver with the pipeline).
 *
 * <p>Factories hold no state and are records, so that two configurations read with two registries compare equal.
 *
 * @param <C> the component's settings, an immutable value
 */
public interface ComponentFactory<C> {

    /** The type as written in the file; a component's id is the type or {@code type/name}. */
    String type();

    /** The settings when the component is used without a definition (or with an empty one). */
    C defaultConfig();

    /**
     * Reads the component's own section ({@code node.path()} is its dotted path, e.g. {@code processors.batch/2};
     * the node is a null scalar for {@code batch:} with nothing after it). Unknown keys and bad values are a
     * {@link ConfigException} naming the key and its line ({@link Section} does that).
     */
    C parse(ConfigNode node);
}
