package io.spoor.pipeline.sampling;

import io.spoor.pipeline.ProcessorFactory;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.pipeline.StageContext;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;

/** {@code processors.probabilistic_sampler}: {@code sampling_percentage} (100 by default). */
public record ProbabilisticSamplerFactory() implements ProcessorFactory<ProbabilisticSamplerFactory.Config> {
    public static final String TYPE = "probabilistic_sampler";

    /** The share of traces kept, in percent. */
    public record Config(double samplingPercentage) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Config defaultConfig() {
        return new Config(100.0);
    }

    @Override
    public Config parse(ConfigNode node) {
        Section s = Section.of(node, node.path(), "sampling_percentage", "hash_seed");
        if (s.has("hash_seed")) {
            throw s.invalid("hash_seed", "is not supported: Spoor samples by trace id exactly as the SDKs' "
                    + "TraceIdRatioBased sampler does, so no seed is needed; remove it");
        }
        return new Config(s.number("sampling_percentage", 0, 100).orElse(defaultConfig().samplingPercentage()));
    }

    @Override
    public SpanConsumer create(String id, Config config, SpanConsumer next, StageContext context) {
        return new ProbabilisticSampler(id, config.samplingPercentage(), next, context.registry());
    }
}
