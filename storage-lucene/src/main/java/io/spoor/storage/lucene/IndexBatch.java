package io.spoor.storage.lucene;

/** One write as handed from the log to the indexer: a single {@link Block}. */
record IndexBatch(Block block) {
    int spanCount() {
        return block.spanCount();
    }

    long approximateBytes() {
        return block.approximateBytes();
    }
}
