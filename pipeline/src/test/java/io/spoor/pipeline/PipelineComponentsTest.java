package io.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.pipeline.config.ComponentFactory;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.export.OtlpExporterFactory;
import io.spoor.pipeline.export.OtlpHttpExporterFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineComponentsTest {
    private final PipelineComponents components = PipelineComponents.builtIn();

    private List<ComponentFactory<?>> all() {
        List<ComponentFactory<?>> all = new ArrayList<>();
        all.add(components.memoryLimiter());
        all.addAll(components.processors());
        all.addAll(components.exporters());
        return all;
    }

    @Test
    void everyTypeIsRegisteredOnce() {
        assertThat(components.processorTypes()).containsExactly("memory_limiter", "batch", "probabilistic_sampler",
                "tail_sampling");
        assertThat(components.exporterTypes()).containsExactly("spoor", "otlp", "otlphttp");
    }

    @Test
    void anEmptySectionReadsAsTheDefaultConfigAndAnUnknownKeyIsNamed() {
        for (ComponentFactory<?> f : all()) {
            String path = "processors." + f.type();
            ConfigNode empty = new ConfigNode.MapNode(path, 7, new LinkedHashMap<>());
            ConfigNode typo = new ConfigNode.MapNode(path, 7, new LinkedHashMap<>(java.util.Map.of("colour",
                    new ConfigNode.Scalar(path + ".colour", 8, "red"))));
            assertThatThrownBy(() -> f.parse(typo)).as(f.type()).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("unknown configuration key '" + path + ".colour' (line 8)");
            if (f instanceof OtlpExporterFactory || f instanceof OtlpHttpExporterFactory) {
                // forwarding needs to know where to: no default
                assertThatThrownBy(f::defaultConfig).isInstanceOf(ConfigException.class);
                assertThatThrownBy(() -> f.parse(empty)).hasMessageContaining(path + ".endpoint' (line 7) must be set");
            } else {
                assertThat((Object) f.parse(empty)).as(f.type()).isEqualTo(f.defaultConfig());
            }
        }
    }
}
