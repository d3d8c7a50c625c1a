package io.spoor.server;

import io.spoor.pipeline.config.PipelineConfig;
import io.spoor.server.config.SpoorConfig;
import io.spoor.storage.SpanStore;
import io.spoor.storage.lucene.LuceneSpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.util.Locale;

/** The embedded engine (Lucene + write-ahead log) in {@code <data-dir>}, with the {@code spoor.storage} settings. */
public final class LuceneStoreOpener implements StoreOpener {

    @Override
    public SpanStore open(SpoorConfig config) {
        return LuceneSpanStore.open(settings(config));
    }

    static LuceneStoreSettings settings(SpoorConfig config) {
        LuceneStoreSettings s = LuceneStoreSettings.defaults(config.dataDir());
        PipelineConfig.StorageConfig st = config.pipeline().storage();
        if (st.retention().isPresent()) {
            s = s.withRetention(st.retention().get());
        }
        if (st.maxDiskMib().isPresent()) {
            s = s.withMaxDiskBytes(st.maxDiskMib().getAsLong() * 1024 * 1024);
        }
        if (st.fsync().isPresent()) {
            s = s.withFsyncPolicy(FsyncPolicy.valueOf(st.fsync().get().toUpperCase(Locale.ROOT)));
        }
        if (st.fsyncInterval().isPresent()) {
            s = s.withFsyncInterval(st.fsyncInterval().get());
        }
        return s;
    }
}
