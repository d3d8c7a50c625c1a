package io.spoor.server.config;

import io.spoor.pipeline.PipelineConfig;
import io.spoor.pipeline.PipelineReader;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.EnvSubstitution;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.config.Unsupported;
import io.spoor.pipeline.config.YamlTree;
import io.spoor.server.receiver.ReceiverConfig;
import io.spoor.server.receiver.ReceiverFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a configuration file in the OpenTelemetry Collector's shape ({@code receivers}, {@code processors},
 * {@code exporters}, {@code service.pipelines.traces}) plus a {@code spoor:} section into a {@link ConfigFile}. This
 * class knows the file's layout only: every component's and section's keys are read by its factory, found by type in
 * {@link SpoorComponents}. Every key is checked: an unknown key or a bad value is one {@link ConfigException} naming
 * the key and its line, and all the Collector components Spoor does not have are named together in one error with what
 * to use instead. Strings may use {@code ${env:VAR}}. docs/configuration.md documents every key.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Loads {@code file}, substituting from the process environment. */
    public static ConfigFile load(Path file) {
        return load(file, System::getenv);
    }

    public static ConfigFile load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text, env);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    public static ConfigFile parse(String yaml, Function<String, String> env) {
        return parse(yaml, env, SpoorComponents.builtIn());
    }

    public static ConfigFile parse(String yaml, Function<String, String> env, SpoorComponents components) {
        ConfigNode tree = YamlTree.parse(yaml, new EnvSubstitution(env));
        if (tree == null) {
            return components.defaults();
        }
        return read(tree, components);
    }

    private static ConfigFile read(ConfigNode tree, SpoorComponents components) {
        List<String> unsupported = new ArrayList<>();
        Section root = Section.of(tree, "", "receivers", "processors", "exporters", "extensions", "connectors",
                "service", "spoor");

        Map<String, ReceiverConfig<?>> receivers = new LinkedHashMap<>();
        components.receivers().forEach(f -> receivers.put(f.type(), ReceiverConfig.ofDefaults(f)));
        Unsupported.readComponents(root, "receivers", components.receiverTypes(), (id, node) -> {
            String type = Unsupported.typeOf(id);
            if (!id.equals(type)) {
                throw new ConfigException(node.where() + ": Spoor runs one " + type + " receiver; name it '" + type
                        + "'");
            }
            receivers.put(type, receiverConfig(components.receiver(type).orElseThrow(), node));
        }, unsupported);

        PipelineReader pipelineReader = new PipelineReader(components.pipeline(), unsupported);
        pipelineReader.readDefinitions(root);
        Unsupported.readComponents(root, "extensions", List.of(), (id, node) -> { }, unsupported);
        Unsupported.readComponents(root, "connectors", List.of(), (id, node) -> { }, unsupported);

        Section service = root.section("service", "pipelines", "extensions", "telemetry");
        if (service.has("telemetry")) {
            unsupported.add(service.get("telemetry").where() + ": Spoor's own telemetry is fixed: Prometheus "
                    + "metrics at /metrics on the API port, logs on standard error; remove it");
        }
        Section pipelines = Section.anyKeys(service.get("pipelines"), service.child("pipelines"));
        List<String> traces = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : pipelines.node().entries().entrySet()) {
            String type = Unsupported.typeOf(e.getKey());
            if (type.equals("traces")) {
                traces.add(e.getKey());
            } else {
                unsupported.add(e.getValue().where() + ": Spoor stores traces only; send " + type
                        + " to another backend");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigException("this configuration uses what Spoor does not have:\n  - "
                    + String.join("\n  - ", unsupported));
        }
        if (traces.size() > 1) {
            throw new ConfigException(pipelines.get(traces.get(1)).where()
                    + ": Spoor runs one traces pipeline; merge " + traces + " into one");
        }
        PipelineConfig pipeline = traces.isEmpty() ? pipelineReader.withoutService()
                : pipelineReader.traces(pipelines.section(traces.getFirst(), "receivers", "processors", "exporters"),
                        components.receiverTypes());

        Section spoor = root.section("spoor", components.sectionKeys().toArray(String[]::new));
        Map<String, Object> sections = new LinkedHashMap<>();
        for (SpoorSection<?> s : components.sections()) {
            ConfigNode node = spoor.get(s.key());
            sections.put(s.key(), node == null ? s.defaults() : s.parse(node));
        }
        return new ConfigFile(List.copyOf(receivers.values()), pipeline, sections);
    }

    private static <C> ReceiverConfig<C> receiverConfig(ReceiverFactory<C> factory, ConfigNode node) {
        return new ReceiverConfig<>(factory.type(), factory, factory.parse(node));
    }
}
