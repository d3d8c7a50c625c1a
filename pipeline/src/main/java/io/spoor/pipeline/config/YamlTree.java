package io.spoor.pipeline.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads YAML into {@link ConfigNode}s with their line numbers (Jackson's tree model forgets them), applying
 * {@code ${env:VAR}} substitution to every string value as it goes.
 */
public final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTree() {
    }

    /** Returns null for an empty document. */
    public static ConfigNode parse(String yaml, UnaryOperator<String> env) {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return read(p, "", env);
        } catch (JacksonException e) {
            throw new ConfigException("invalid YAML" + (e.getLocation() != null ? " at line "
                    + e.getLocation().getLineNr() : "") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read the YAML: " + e.getMessage(), e);
        }
    }

    private static ConfigNode read(JsonParser p, String path, UnaryOperator<String> env) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, ConfigNode> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    int keyLine = p.currentTokenLocation().getLineNr();
                    if (entries.containsKey(key)) {
                        throw new ConfigException("duplicate configuration key '" + child + "' (line " + keyLine + ")");
                    }
                    p.nextToken();
                    ConfigNode value = read(p, child, env);
                    // a key's line is where the key is written, which is what a reader looks for
                    entries.put(key, withLine(value, keyLine));
                }
                return new ConfigNode.MapNode(path, line, entries);
            }
            case START_ARRAY -> {
                List<ConfigNode> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, path + "[" + i++ + "]", env));
                }
                return new ConfigNode.ListNode(path, line, items);
            }
            case VALUE_NULL -> {
                return new ConfigNode.Scalar(path, line, null);
            }
            case VALUE_STRING -> {
                String text = p.getText();
                try {
                    return new ConfigNode.Scalar(path, line, env.apply(text));
                } catch (ConfigException e) {
                    throw new ConfigException("'" + path + "' (line " + line + "): " + e.getMessage());
                }
            }
            default -> {
                return new ConfigNode.Scalar(path, line, p.getText());
            }
        }
    }

    private static ConfigNode withLine(ConfigNode n, int line) {
        return switch (n) {
            case ConfigNode.MapNode m -> new ConfigNode.MapNode(m.path(), line, m.entries());
            case ConfigNode.ListNode l -> new ConfigNode.ListNode(l.path(), line, l.items());
            case ConfigNode.Scalar s -> new ConfigNode.Scalar(s.path(), line, s.text());
        };
    }
}
