package io.spoor.storage.lucene;

/** How Lucene compresses the stored span bytes (the bulk of the index). */
public enum StoredFieldsCompression {
    /** LZ4 over small blocks: fastest lookups, larger files (Lucene's BEST_SPEED). */
    FAST,
    /** DEFLATE over larger blocks: smaller files, each lookup decompresses more (Lucene's BEST_COMPRESSION). */
    SMALL
}
