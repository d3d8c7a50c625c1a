package io.spoor.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spoor.query.Durations;
import io.spoor.query.InvalidQueryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the YAML configuration. Every key is checked: a key Spoor does not know is one startup error naming it
 * (a typo must not silently fall back to a default). Supported today:
 * <pre>
 * processors:
 *   memory_limiter: {limit_mib, spike_limit_mib, check_interval (accepted, unused)}
 *   batch:          {timeout, send_batch_size, send_batch_max_size}
 * spoor:
 *   storage:        {retention, max_disk_mib, fsync (none|interval|every_batch), fsync_interval}
 *   query:          {adjust_clock_skew (true|false), max_clock_skew}
 * </pre>
 */
public final class ConfigLoader {
    private static final Map<String, Set<String>> SECTIONS = Map.of(
            "", Set.of("processors", "spoor"),
            "processors", Set.of("memory_limiter", "batch"),
            "processors.memory_limiter", Set.of("limit_mib", "spike_limit_mib", "check_interval"),
            "processors.batch", Set.of("timeout", "send_batch_size", "send_batch_max_size"),
            "spoor", Set.of("storage", "query"),
            "spoor.query", Set.of("adjust_clock_skew", "max_clock_skew"),
            "spoor.storage", Set.of("retention", "max_disk_mib", "fsync", "fsync_interval"));
    private static final List<String> FSYNC_POLICIES = List.of("none", "interval", "every_batch");

    private ConfigLoader() {
    }

    /** Loads {@code file} over the defaults. */
    public static SpoorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text, SpoorConfig.defaults());
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text over {@code base}. */
    public static SpoorConfig parse(String yaml, SpoorConfig base) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JacksonException e) {
            throw new ConfigException("invalid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return base;
        }
        checkKeys("", root);
        SpoorConfig config = base;

        JsonNode ml = root.path("processors").path("memory_limiter");
        if (!ml.isMissingNode() && !ml.isNull()) {
            OptionalLong limit = optionalLong(ml, "processors.memory_limiter.limit_mib", 1);
            OptionalLong spike = optionalLong(ml, "processors.memory_limiter.spike_limit_mib", 0);
            if (limit.isPresent() && spike.isPresent() && spike.getAsLong() >= limit.getAsLong()) {
                throw new ConfigException("processors.memory_limiter.spike_limit_mib must be below limit_mib");
            }
            optionalDuration(ml, "processors.memory_limiter.check_interval");
            config = config.withMemoryLimiter(new SpoorConfig.MemoryLimiter(
                    limit.isPresent() ? limit : base.memoryLimiter().limitMib(),
                    spike.isPresent() ? spike : base.memoryLimiter().spikeLimitMib()));
        }

        JsonNode batch = root.path("processors").path("batch");
        if (!batch.isMissingNode() && !batch.isNull()) {
            SpoorConfig.Batch b = base.batch();
            int size = (int) optionalLong(batch, "processors.batch.send_batch_size", 1).orElse(b.sendBatchSize());
            int max = (int) optionalLong(batch, "processors.batch.send_batch_max_size", 0).orElse(b.sendBatchMaxSize());
            Duration timeout = optionalDuration(batch, "processors.batch.timeout").orElse(b.timeout());
            if (max != 0 && max < size) {
                throw new ConfigException("processors.batch.send_batch_max_size must be 0 or >= send_batch_size");
            }
            config = config.withBatch(new SpoorConfig.Batch(size, max, timeout));
        }

        JsonNode storage = root.path("spoor").path("storage");
        if (!storage.isMissingNode() && !storage.isNull()) {
            SpoorConfig.Storage s = base.storage();
            Optional<Duration> retention = optionalDuration(storage, "spoor.storage.retention");
            OptionalLong maxDisk = optionalLong(storage, "spoor.storage.max_disk_mib", 0);
            Optional<String> fsync = optionalString(storage, "spoor.storage.fsync")
                    .map(v -> v.toLowerCase(Locale.ROOT));
            if (fsync.isPresent() && !FSYNC_POLICIES.contains(fsync.get())) {
                throw new ConfigException("spoor.storage.fsync must be one of " + FSYNC_POLICIES + ", got '"
                        + fsync.get() + "'");
            }
            Optional<Duration> fsyncInterval = optionalDuration(storage, "spoor.storage.fsync_interval");
            requirePositive("spoor.storage.retention", retention);
            requirePositive("spoor.storage.fsync_interval", fsyncInterval);
            config = config.withStorage(new SpoorConfig.Storage(
                    retention.or(s::retention),
                    maxDisk.isPresent() ? maxDisk : s.maxDiskMib(),
                    fsync.or(s::fsync),
                    fsyncInterval.or(s::fsyncInterval)));
        }
        JsonNode query = root.path("spoor").path("query");
        if (!query.isMissingNode() && !query.isNull()) {
            SpoorConfig.Query q = base.query();
            boolean adjust = q.adjustClockSkew();
            JsonNode a = query.get("adjust_clock_skew");
            if (a != null && !a.isNull()) {
                if (!a.isBoolean() && !(a.isTextual() && a.asText().matches("true|false"))) {
                    throw new ConfigException("spoor.query.adjust_clock_skew must be true or false, got '"
                            + a.asText() + "'");
                }
                adjust = a.asBoolean() || a.asText().equals("true");
            }
            Duration max = optionalDuration(query, "spoor.query.max_clock_skew").orElse(q.maxClockSkew());
            config = config.withQuery(new SpoorConfig.Query(adjust, max));
        }
        return config;
    }

    private static void requirePositive(String key, Optional<Duration> d) {
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            throw new ConfigException(key + " must be longer than zero");
        }
    }

    private static void checkKeys(String path, JsonNode node) {
        Set<String> known = SECTIONS.get(path);
        if (known == null) {
            return; // a leaf value
        }
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new ConfigException((path.isEmpty() ? "the configuration" : path) + " must be a mapping");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!known.contains(e.getKey())) {
                throw new ConfigException("unknown configuration key '" + key + "'"
                        + (path.isEmpty() ? "" : " (known under " + path + ": " + known.stream().sorted().toList() + ")"));
            }
            checkKeys(key, e.getValue());
        }
    }

    private static OptionalLong optionalLong(JsonNode parent, String key, long min) {
        JsonNode n = parent.get(leaf(key));
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (!n.canConvertToLong() || !(n.isIntegralNumber() || n.isTextual() && n.asText().matches("\\d+"))) {
            throw new ConfigException(key + " must be a whole number, got '" + n.asText() + "'");
        }
        long v = n.asLong();
        if (v < min || v > Integer.MAX_VALUE && key.contains("batch")) {
            throw new ConfigException(key + " must be at least " + min + ", got " + v);
        }
        return OptionalLong.of(v);
    }

    private static Optional<Duration> optionalDuration(JsonNode parent, String key) {
        JsonNode n = parent.get(leaf(key));
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode()) {
            throw new ConfigException(key + " must be a duration like 5s or 7d");
        }
        try {
            return Optional.of(Duration.ofNanos(Durations.parseNanos(key, n.asText())));
        } catch (InvalidQueryException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static Optional<String> optionalString(JsonNode parent, String key) {
        JsonNode n = parent.get(leaf(key));
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isValueNode()) {
            throw new ConfigException(key + " must be a plain value");
        }
        return Optional.of(n.asText());
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
