package io.spoor.pipeline;

import io.spoor.pipeline.config.ComponentFactory;

/**
 * An exporter type ({@code spoor}, {@code otlp}, {@code otlphttp}): reads its section and creates the last stage of
 * the traces pipeline. Registered in {@link PipelineComponents#builtIn()}.
 */
public interface ExporterFactory<C> extends ComponentFactory<C> {

    /** Creates exporter {@code id}; an {@link AutoCloseable} exporter is closed on shutdown, after the processors. */
    SpanConsumer create(String id, C config, StageContext context);
}
