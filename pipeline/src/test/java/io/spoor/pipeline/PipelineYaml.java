package io.spoor.pipeline;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.EnvSubstitution;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.config.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the pipeline part of a YAML file as the server's config loader does ({@code processors}, {@code exporters},
 * {@code service.pipelines.traces}), for tests of this module.
 */
final class PipelineYaml {
    private PipelineYaml() {
    }

    static PipelineConfig parse(String yaml) {
        ConfigNode tree = YamlTree.parse(yaml, new EnvSubstitution(Map.<String, String>of()::get));
        Section root = Section.of(tree, "", "processors", "exporters", "service");
        List<String> unsupported = new ArrayList<>();
        PipelineReader reader = new PipelineReader(PipelineComponents.builtIn(), unsupported);
        reader.readDefinitions(root);
        if (!unsupported.isEmpty()) {
            throw new ConfigException(String.join("\n", unsupported));
        }
        Section traces = root.section("service", "pipelines").section("pipelines", "traces");
        return traces.has("traces")
                ? reader.traces(traces.section("traces", "receivers", "processors", "exporters"), List.of("otlp"))
                : reader.withoutService();
    }
}
