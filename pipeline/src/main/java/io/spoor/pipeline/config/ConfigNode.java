package io.spoor.pipeline.config;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A parsed YAML value that remembers where it was written ({@code path} as a dotted key, {@code line} 1-based,
 * 0 when it did not come from a file), so that every error can name both.
 */
public sealed interface ConfigNode {
    String path();

    int line();

    /** "'processors.batch.timeout' (line 4)": how errors name a key. */
    default String where() {
        return "'" + path() + "'" + (line() > 0 ? " (line " + line() + ")" : "");
    }

    record MapNode(String path, int line, LinkedHashMap<String, ConfigNode> entries) implements ConfigNode {
    }

    record ListNode(String path, int line, List<ConfigNode> items) implements ConfigNode {
    }

    /** A scalar; {@code text} is null for YAML null ({@code key:} with nothing after it). */
    record Scalar(String path, int line, String text) implements ConfigNode {
        public boolean isNull() {
            return text == null;
        }
    }
}
