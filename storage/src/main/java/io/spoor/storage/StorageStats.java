package io.spoor.storage;

/**
 * Figures for /metrics. The last four are counts since the engine was opened; an engine without the notion reports 0.
 *
 * @param storedSpans           spans held (engines may count retried duplicates until they are merged away)
 * @param diskBytes             bytes on disk (0 for an engine without a disk of its own)
 * @param pendingSpans          spans acknowledged but not yet searchable
 * @param unindexedSpans        spans stored without index terms because the index refused their block: found by
 *                              trace id, and by searches that verify them span by span
 * @param truncatedIndexNames   service or operation names too long for the index, cut there (the span keeps its
 *                              whole name)
 * @param skippedLogRecords     intact log records the engine could not read or index on replay, skipped with an
 *                              ERROR naming each
 * @param skippedLogBytes       bytes of corrupt log between intact records, skipped on replay (a torn tail, which
 *                              was never acknowledged, is not counted)
 */
public record StorageStats(long storedSpans, long diskBytes, long pendingSpans, long unindexedSpans,
                           long truncatedIndexNames, long skippedLogRecords, long skippedLogBytes) {

    /** For engines without index or log faults to report. */
    public StorageStats(long storedSpans, long diskBytes, long pendingSpans) {
        this(storedSpans, diskBytes, pendingSpans, 0, 0, 0, 0);
    }
}
