package io.spoor.pipeline;

import io.spoor.pipeline.config.ComponentFactory;

/**
 * A processor type of the traces pipeline ({@code batch}, {@code tail_sampling}, …): reads its section and creates
 * the stage in front of {@code next}. Registered in {@link PipelineComponents#builtIn()}.
 */
public interface ProcessorFactory<C> extends ComponentFactory<C> {

    /**
     * Creates processor {@code id} (its name in the file, for metric labels and directories). A stage that is
     * {@link AutoCloseable} is closed on shutdown, upstream first, so that it flushes into {@code next}.
     */
    SpanConsumer create(String id, C config, SpanConsumer next, StageContext context);
}
