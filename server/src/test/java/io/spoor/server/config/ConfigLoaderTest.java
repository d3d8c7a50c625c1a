package io.spoor.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void readsTheSupportedSettings() {
        SpoorConfig c = ConfigLoader.parse("""
                processors:
                  memory_limiter:
                    check_interval: 1s
                    limit_mib: 400
                    spike_limit_mib: 80
                  batch:
                    timeout: 10ms
                    send_batch_size: 1000
                    send_batch_max_size: 2000
                spoor:
                  storage:
                    retention: 7d
                    max_disk_mib: 1024
                    fsync: every_batch
                    fsync_interval: 500ms
                """, SpoorConfig.defaults());
        assertThat(c.memoryLimiter().limitMib()).hasValue(400);
        assertThat(c.memoryLimiter().spikeLimitMib()).hasValue(80);
        assertThat(c.batch()).isEqualTo(new SpoorConfig.Batch(1000, 2000, Duration.ofMillis(10)));
        assertThat(c.storage().retention()).contains(Duration.ofDays(7));
        assertThat(c.storage().maxDiskMib()).hasValue(1024);
        assertThat(c.storage().fsync()).contains("every_batch");
        assertThat(c.storage().fsyncInterval()).contains(Duration.ofMillis(500));
    }

    @Test
    void anEmptyFileKeepsTheDefaults() {
        assertThat(ConfigLoader.parse("", SpoorConfig.defaults())).isEqualTo(SpoorConfig.defaults());
        assertThat(ConfigLoader.parse("processors:\n", SpoorConfig.defaults())).isEqualTo(SpoorConfig.defaults());
    }

    @Test
    void anUnknownKeyIsOneClearErrorNamingIt() {
        assertThatThrownBy(() -> ConfigLoader.parse("processors:\n  batch:\n    timeuot: 1s\n",
                SpoorConfig.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown configuration key 'processors.batch.timeuot'")
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> ConfigLoader.parse("receivers:\n  otlp: {}\n", SpoorConfig.defaults()))
                .hasMessageStartingWith("unknown configuration key 'receivers'");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  storage:\n    retention: forever\n",
                SpoorConfig.defaults())).hasMessageStartingWith("spoor.storage.retention");
        assertThatThrownBy(() -> ConfigLoader.parse("processors:\n  memory_limiter:\n    limit_mib: lots\n",
                SpoorConfig.defaults())).hasMessageContaining("processors.memory_limiter.limit_mib must be a whole number");
        assertThatThrownBy(() -> ConfigLoader.parse("processors:\n  memory_limiter:\n    limit_mib: 100\n"
                + "    spike_limit_mib: 100\n", SpoorConfig.defaults())).hasMessageContaining("spike_limit_mib");
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  storage:\n    fsync: sometimes\n",
                SpoorConfig.defaults())).hasMessageContaining("spoor.storage.fsync must be one of");
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  storage:\n    retention: 0s\n",
                SpoorConfig.defaults())).hasMessage("spoor.storage.retention must be longer than zero");
        assertThatThrownBy(() -> ConfigLoader.parse("processors: [1, 2]\n", SpoorConfig.defaults()))
                .hasMessageContaining("processors must be a mapping");
        assertThatThrownBy(() -> ConfigLoader.parse("processors:\n  batch: {\n", SpoorConfig.defaults()))
                .hasMessageStartingWith("invalid YAML");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml does not exist");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "spoor:\n  ui: {}\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad)).hasMessageContaining("bad.yaml")
                .hasMessageContaining("unknown configuration key 'spoor.ui'");
    }

    @Test
    void readsTheQuerySettingsAndRejectsNonsense() {
        SpoorConfig c = ConfigLoader.parse("spoor:\n  query:\n    adjust_clock_skew: false\n    max_clock_skew: 1h\n",
                SpoorConfig.defaults());
        assertThat(c.query()).isEqualTo(new SpoorConfig.Query(false, java.time.Duration.ofHours(1)));
        assertThat(SpoorConfig.defaults().query()).isEqualTo(new SpoorConfig.Query(true, java.time.Duration.ZERO));
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  query:\n    adjust_clock_skew: sometimes\n",
                SpoorConfig.defaults())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("spoor.query.adjust_clock_skew");
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  query:\n    max_clock_skew: lots\n",
                SpoorConfig.defaults())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("spoor.query.max_clock_skew");
        assertThatThrownBy(() -> ConfigLoader.parse("spoor:\n  query:\n    clock_skew: true\n",
                SpoorConfig.defaults())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'spoor.query.clock_skew'");
    }
}
