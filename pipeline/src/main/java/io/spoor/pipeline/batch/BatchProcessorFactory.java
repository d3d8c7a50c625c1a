package io.spoor.pipeline.batch;

import io.spoor.pipeline.ProcessorFactory;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.pipeline.StageContext;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import java.time.Duration;

/** {@code processors.batch}: {@code send_batch_size}, {@code send_batch_max_size}, {@code timeout}. */
public record BatchProcessorFactory() implements ProcessorFactory<BatchSettings> {
    public static final String TYPE = "batch";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BatchSettings defaultConfig() {
        return BatchSettings.DEFAULTS;
    }

    @Override
    public BatchSettings parse(ConfigNode node) {
        Section s = Section.of(node, node.path(), "timeout", "send_batch_size", "send_batch_max_size");
        BatchSettings d = BatchSettings.DEFAULTS;
        int size = s.whole("send_batch_size", 1, Integer.MAX_VALUE).orElse((long) d.sendBatchSize()).intValue();
        int max = s.whole("send_batch_max_size", 0, Integer.MAX_VALUE).orElse((long) d.sendBatchMaxSize()).intValue();
        Duration timeout = s.duration("timeout", true).orElse(d.timeout());
        if (max != 0 && max < size) {
            throw s.invalid("send_batch_max_size", "must be 0 or at least send_batch_size (" + size + ")");
        }
        return new BatchSettings(size, max, timeout);
    }

    @Override
    public SpanConsumer create(String id, BatchSettings config, SpanConsumer next, StageContext context) {
        return new BatchProcessor(id, config, next, context.registry());
    }
}
