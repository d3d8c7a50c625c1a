package io.spoor.pipeline.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping in the configuration whose keys are all known up front: constructing it rejects any other key
 * (a typo must not silently fall back to a default), and its getters turn values into types, naming the key
 * and line when a value does not fit.
 */
public final class Section {
    private final ConfigNode.MapNode node;

    private Section(ConfigNode.MapNode node) {
        this.node = node;
    }

    /** An absent or null node reads as an empty section. */
    public static Section of(ConfigNode n, String path, String... knownKeys) {
        ConfigNode.MapNode map = asMap(n, path);
        Set<String> known = Set.of(knownKeys);
        for (Map.Entry<String, ConfigNode> e : map.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException("unknown configuration key " + e.getValue().where() + " (known under "
                        + (path.isEmpty() ? "the top level" : path) + ": " + new TreeSet<>(known) + ")");
            }
        }
        return new Section(map);
    }

    /** A mapping whose keys are names the user chooses (component ids, pipelines, headers). */
    public static Section anyKeys(ConfigNode n, String path) {
        return new Section(asMap(n, path));
    }

    public static ConfigNode.MapNode asMap(ConfigNode n, String path) {
        if (n == null || n instanceof ConfigNode.Scalar s && s.isNull()) {
            return new ConfigNode.MapNode(path, n == null ? 0 : n.line(), new LinkedHashMap<>());
        }
        if (n instanceof ConfigNode.MapNode m) {
            return m;
        }
        throw new ConfigException((path.isEmpty() ? "the configuration" : n.where()) + " must be a mapping");
    }

    public String path() {
        return node.path();
    }

    public int line() {
        return node.line();
    }

    public ConfigNode.MapNode node() {
        return node;
    }

    public String child(String key) {
        return node.path().isEmpty() ? key : node.path() + "." + key;
    }

    public boolean has(String key) {
        ConfigNode n = node.entries().get(key);
        return n != null && !(n instanceof ConfigNode.Scalar s && s.isNull());
    }

    public ConfigNode get(String key) {
        return node.entries().get(key);
    }

    public Section section(String key, String... knownKeys) {
        return Section.of(node.entries().get(key), child(key), knownKeys);
    }

    public Optional<String> string(String key) {
        ConfigNode n = node.entries().get(key);
        if (n == null || n instanceof ConfigNode.Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (!(n instanceof ConfigNode.Scalar s)) {
            throw new ConfigException(n.where() + " must be a plain value");
        }
        return Optional.of(s.text());
    }

    public Optional<String> oneOf(String key, List<String> allowed) {
        Optional<String> v = string(key).map(x -> x.toLowerCase(Locale.ROOT));
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw invalid(key, "must be one of " + allowed);
        }
        return v;
    }

    public Optional<Long> whole(String key, long min, long max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        long n;
        try {
            n = Long.parseLong(v.get().strip());
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number");
        }
        if (n < min || n > max) {
            throw invalid(key, "must be between " + min + " and " + max);
        }
        return Optional.of(n);
    }

    public Optional<Double> number(String key, double min, double max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        double d;
        try {
            d = Double.parseDouble(v.get().strip());
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a number");
        }
        if (!(d >= min && d <= max)) {
            throw invalid(key, "must be between " + min + " and " + max);
        }
        return Optional.of(d);
    }

    public Optional<Boolean> bool(String key) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return switch (v.get().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw invalid(key, "must be true or false");
        };
    }

    /** A duration like {@code 200ms}, {@code 30s}, {@code 7d}; {@code allowZero} false requires a positive one. */
    public Optional<Duration> duration(String key, boolean allowZero) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = Durations.parse(v.get());
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
        if (!allowZero && d.isZero()) {
            throw invalid(key, "must be longer than zero");
        }
        return Optional.of(d);
    }

    public List<String> strings(String key) {
        ConfigNode n = node.entries().get(key);
        if (n == null || n instanceof ConfigNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof ConfigNode.ListNode l)) {
            throw new ConfigException(n.where() + " must be a list, like [a, b]");
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : l.items()) {
            if (!(item instanceof ConfigNode.Scalar s) || s.isNull()) {
                throw new ConfigException(item.where() + " must be a plain value");
            }
            out.add(s.text());
        }
        return out;
    }

    public List<ConfigNode> list(String key) {
        ConfigNode n = node.entries().get(key);
        if (n == null || n instanceof ConfigNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof ConfigNode.ListNode l)) {
            throw new ConfigException(n.where() + " must be a list");
        }
        return l.items();
    }

    /** A non-blank string value that must be there: "'path.key' (line n) must be set" otherwise. */
    public String required(String key) {
        return string(key).filter(v -> !v.isBlank()).orElseThrow(() -> missing(key, ""));
    }

    /** "'path.key' (line of this section) must be set{@code hint}": for a key that was left out. */
    public ConfigException missing(String key, String hint) {
        return new ConfigException("'" + child(key) + "'" + (line() > 0 ? " (line " + line() + ")" : "") + " must be set"
                + hint);
    }

    public ConfigException invalid(String key, String problem) {
        ConfigNode n = node.entries().get(key);
        String shown = n instanceof ConfigNode.Scalar s && s.text() != null ? ", got '" + s.text() + "'" : "";
        return new ConfigException((n != null ? n.where() : "'" + child(key) + "'") + " " + problem + shown);
    }
}
