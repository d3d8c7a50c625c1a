package io.spoor.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.pipeline.config.Section;
import io.spoor.server.config.ConfigFile;
import io.spoor.server.config.ConfigLoader;
import io.spoor.server.config.HttpSection;
import io.spoor.server.config.QuerySection;
import io.spoor.server.config.SpoorComponents;
import io.spoor.storage.memory.InMemorySpanStore;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.SpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSectionTest {

    private static ConfigFile parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.<String, String>of()::get);
    }

    /** A second engine, registered the way a real one is: one factory. Keeps spans in memory (tests only). */
    record MemoryStorageFactory() implements StorageFactory<MemoryStorageFactory.Config> {
        record Config(int maxTraces) {
        }

        @Override
        public String type() {
            return "memory";
        }

        @Override
        public List<String> keys() {
            return List.of("max_traces");
        }

        @Override
        public Config defaultConfig() {
            return new Config(1000);
        }

        @Override
        public Config parse(Section storage) {
            return new Config(storage.whole("max_traces", 1, 1_000_000).orElse(1000L).intValue());
        }

        @Override
        public SpanStore open(Config config, StorageConfig storage, Path dataDir) {
            return new InMemorySpanStore();
        }
    }

    private static ConfigFile withMemoryEngine(String yaml) {
        List<StorageFactory<?>> engines = List.of(new LuceneStorageFactory(), new MemoryStorageFactory());
        SpoorComponents builtIn = SpoorComponents.builtIn();
        SpoorComponents components = new SpoorComponents(builtIn.receivers(), builtIn.pipeline(), engines,
                List.of(new StorageSection(engines), new QuerySection(), new HttpSection()));
        return ConfigLoader.parse(yaml, Map.<String, String>of()::get, components);
    }

    @Test
    void withoutSettingsTheEmbeddedEngineRunsWithTheOneRetentionDefault() {
        StorageConfig d = parse("").storage();
        assertThat(d.engine().type()).isEqualTo("lucene");
        assertThat(d.retention()).isEqualTo(SpanStore.DEFAULT_RETENTION).isEqualTo(Duration.ofDays(7));
        assertThat(d.fsync()).isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(d.fsyncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(LuceneStorageFactory.settings(new LuceneStorageFactory.Config(0), d, Path.of("/data")))
                .isEqualTo(LuceneStoreSettings.defaults(Path.of("/data")));
    }

    @Test
    void theCommonKeysAreReadOnceAndReachTheEngine() {
        StorageConfig s = parse("""
                spoor:
                  storage: {type: lucene, retention: 3d, fsync: every_batch, fsync_interval: 250ms, max_disk_mib: 10}
                """).storage();
        assertThat(s.retention()).isEqualTo(Duration.ofDays(3));
        assertThat(s.fsync()).isEqualTo(FsyncPolicy.EVERY_BATCH);
        assertThat(s.engine().config()).isEqualTo(new LuceneStorageFactory.Config(10L * 1024 * 1024));
        LuceneStoreSettings lucene = LuceneStorageFactory.settings(new LuceneStorageFactory.Config(10L << 20), s,
                Path.of("/data"));
        assertThat(lucene.retention()).isEqualTo(Duration.ofDays(3));
        assertThat(lucene.fsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_BATCH);
        assertThat(lucene.fsyncInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(lucene.maxDiskBytes()).isEqualTo(10L << 20);
    }

    @Test
    void theTypeChoosesTheEngineAndItsKeys() {
        StorageConfig memory = withMemoryEngine("spoor:\n  storage: {type: memory, max_traces: 5, retention: 1h}\n")
                .storage();
        assertThat(memory.engine().type()).isEqualTo("memory");
        assertThat(memory.engine().config()).isEqualTo(new MemoryStorageFactory.Config(5));
        assertThat(memory.retention()).isEqualTo(Duration.ofHours(1));
        assertThat(memory.open(Path.of("unused"))).isInstanceOf(InMemorySpanStore.class);

        assertThatThrownBy(() -> withMemoryEngine("spoor:\n  storage:\n    type: memory\n    max_disk_mib: 5\n"))
                .hasMessage("'spoor.storage.max_disk_mib' (line 4) is a setting of storage type lucene, not of memory");
        assertThatThrownBy(() -> parse("spoor:\n  storage:\n    type: cassandra\n"))
                .hasMessage("'spoor.storage.type' (line 3) must be one of [lucene], got 'cassandra'");
        assertThatThrownBy(() -> parse("spoor:\n  storage:\n    max_disks: 5\n"))
                .hasMessage("unknown configuration key 'spoor.storage.max_disks' (line 3) (known under spoor.storage: "
                        + "[fsync, fsync_interval, max_disk_mib, retention, type])");
    }
}
