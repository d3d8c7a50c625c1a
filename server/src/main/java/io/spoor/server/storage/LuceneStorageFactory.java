package io.spoor.server.storage;

import io.spoor.pipeline.config.Section;
import io.spoor.storage.SpanStore;
import io.spoor.storage.lucene.LuceneSpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code spoor.storage.type: lucene}, the default: the embedded engine (Lucene behind a write-ahead log) in
 * {@code <data-dir>}. Its own key: {@code max_disk_mib} (0 = unlimited).
 */
public record LuceneStorageFactory() implements StorageFactory<LuceneStorageFactory.Config> {
    public static final String TYPE = "lucene";

    /** {@code maxDiskBytes}: when index + log exceed it, the oldest data goes first; 0 = unlimited. */
    public record Config(long maxDiskBytes) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> keys() {
        return List.of("max_disk_mib");
    }

    @Override
    public Config defaultConfig() {
        return new Config(0);
    }

    @Override
    public Config parse(Section storage) {
        return new Config(storage.whole("max_disk_mib", 0, Long.MAX_VALUE / (1024 * 1024)).orElse(0L) * 1024 * 1024);
    }

    @Override
    public SpanStore open(Config config, StorageConfig storage, Path dataDir) {
        return LuceneSpanStore.open(settings(config, storage, dataDir));
    }

    static LuceneStoreSettings settings(Config config, StorageConfig storage, Path dataDir) {
        return LuceneStoreSettings.defaults(dataDir).withRetention(storage.retention())
                .withMaxDiskBytes(config.maxDiskBytes()).withFsyncPolicy(storage.fsync())
                .withFsyncInterval(storage.fsyncInterval());
    }
}
