package io.spoor.storage.lucene;

import java.util.List;

/** The fragments of one write, as handed from the log to the indexer. */
record IndexBatch(List<Fragment> fragments, int spanCount, long approximateBytes) {
}
