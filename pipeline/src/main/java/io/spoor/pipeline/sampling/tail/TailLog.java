package io.spoor.pipeline.sampling.tail;

import io.spoor.model.TraceId;
import io.spoor.pipeline.sampling.tail.TailLogCodec.Decided;
import io.spoor.spanlog.codec.CorruptDataException;
import io.spoor.spanlog.wal.WriteAheadLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail sampler's write-ahead log: every export's buffered spans are appended (one record per export, group
 * commit and fsync as the store's log does, {@link WriteAheadLog}) before the export is acknowledged, and a record
 * of decisions follows once decided traces are settled (dropped, or kept and acknowledged by the next stage).
 *
 * <p><b>Truncation.</b> Each spans record counts its parts (one per trace) that are not settled yet. Records enter
 * {@link #inLog} in log order (appends happen under the sampler's lock, in the order the buffer saw them); the log
 * is cut after the longest prefix of settled records, and whole segments before the cut are deleted. A segment
 * therefore goes once every span in it belongs to a settled trace — or to a later record's trace, never an earlier
 * unsettled one.
 *
 * <p><b>Replay.</b> Spans records rebuild the buffer, each trace with the wall-clock arrival time of its first
 * part; a decision removes the parts it covers (up to its {@code lastSeq}, also those that reach the log after it,
 * which a concurrent append can cause) and refills the decision caches, so traces that were settled before a crash
 * are neither decided nor stored again. Parts after a decision's {@code lastSeq} (late spans, or the trace's id
 * seen again) are replayed and decided anew: at worst a span is stored twice, which readers never show.
 */
final class TailLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TailLog.class);

    /** A spans record: its log sequence number, where it ends in the log, and its parts not settled yet. */
    static final class Record {
        final long seq;
        final AtomicInteger pending = new AtomicInteger();
        volatile long end = -1;

        Record(long seq) {
            this.seq = seq;
        }
    }

    /** A part of a trace read back from the log. */
    record ReplayedPart(Record record, long arrivalEpochMillis, byte[] payload, int offset, int length, int spans) {
    }

    /** What the log held: the decisions in log order and the unsettled traces, oldest first. */
    record Replayed(List<Decided> decisions, List<Map.Entry<TraceId, List<ReplayedPart>>> traces) {
    }

    private final TailLogSettings settings;
    private final WriteAheadLog<Record> wal;
    private final ConcurrentLinkedQueue<Record> inLog = new ConcurrentLinkedQueue<>();
    private final List<Decided> decided = new ArrayList<>(); // guarded by itself
    private long nextSeq; // guarded by the sampler's lock
    private long startPosition = -1;
    private long cut = -1; // touched by the truncating thread only (synchronized truncate)

    TailLog(TailLogSettings settings) {
        this.settings = settings;
        this.wal = new WriteAheadLog<>(settings.dir(), settings.fsyncPolicy(), settings.fsyncInterval(),
                settings.segmentBytes());
    }

    /**
     * Reads the whole log (once, before {@link #start}), cutting off a torn tail and skipping corrupt records in the
     * middle (their traces' other parts are replayed; see {@link WriteAheadLog#replay}).
     */
    Replayed replay() {
        Map<TraceId, ArrayDeque<ReplayedPart>> open = new LinkedHashMap<>();
        Map<TraceId, Long> decidedUpTo = new HashMap<>();
        List<Decided> decisions = new ArrayList<>();
        long[] maxSeq = {-1};
        startPosition = wal.replay(0, (payload, end) -> {
            try {
                TailLogCodec.read(payload, new TailLogCodec.Visitor() {
                    private Record record;
                    private long arrival;

                    @Override
                    public void spans(long seq, long arrivalEpochMillis, int parts) {
                        record = new Record(seq);
                        record.end = end;
                        arrival = arrivalEpochMillis;
                        maxSeq[0] = Math.max(maxSeq[0], seq);
                        inLog.add(record);
                    }

                    @Override
                    public void part(TraceId id, int spanCount, byte[] bytes, int offset, int length) {
                        Long covered = decidedUpTo.get(id);
                        if (covered != null && record.seq <= covered) {
                            return; // a decision appended just before the spans it covers (appended concurrently)
                        }
                        record.pending.incrementAndGet();
                        open.computeIfAbsent(id, k -> new ArrayDeque<>())
                                .add(new ReplayedPart(record, arrival, bytes, offset, length, spanCount));
                    }

                    @Override
                    public void decided(Decided d) {
                        decisions.add(d);
                        decidedUpTo.merge(d.id(), d.lastSeq(), Math::max);
                        ArrayDeque<ReplayedPart> parts = open.get(d.id());
                        if (parts == null) {
                            return;
                        }
                        while (!parts.isEmpty() && parts.peekFirst().record().seq <= d.lastSeq()) {
                            parts.pollFirst().record().pending.decrementAndGet();
                        }
                        if (parts.isEmpty()) {
                            open.remove(d.id());
                        }
                    }
                });
            } catch (CorruptDataException e) {
                // the CRC matched, so this is not a torn write: a record this version cannot read
                log.warn("tail-sampling log {}: skipping an unreadable record ending at {}: {}", settings.dir(), end,
                        e.getMessage());
            }
        });
        nextSeq = maxSeq[0] + 1;
        List<Map.Entry<TraceId, List<ReplayedPart>>> traces = new ArrayList<>(open.size());
        for (Map.Entry<TraceId, ArrayDeque<ReplayedPart>> e : open.entrySet()) {
            traces.add(Map.entry(e.getKey(), List.copyOf(e.getValue())));
        }
        // a trace whose early parts were decided starts at its first undecided part
        traces.sort(Comparator.comparingLong(e -> e.getValue().getFirst().record().seq));
        return new Replayed(decisions, traces);
    }

    /** Starts appending after what {@link #replay} read. */
    void start() {
        if (startPosition < 0) {
            throw new IllegalStateException("replay the tail-sampling log before starting it");
        }
        wal.start(startPosition, (record, bytes, end) -> {
            if (record != null) {
                record.end = end;
            }
        });
    }

    /** A new spans record; call under the sampler's lock, and {@link #append} it under the same lock. */
    Record newRecord() {
        return new Record(nextSeq++);
    }

    /** Appends a spans record; the future completes once it is written (and fsynced, per policy). */
    CompletableFuture<Long> append(Record record, byte[] payload) {
        TailLogCodec.setSeq(payload, record.seq);
        inLog.add(record);
        return wal.append(payload, record);
    }

    /**
     * A decided trace is settled: dropped, or kept and taken by the next stage ({@code recordDecision}), or kept
     * but given up on. Its parts no longer hold their records back from truncation.
     */
    void settle(BufferedTrace t, boolean sampled, boolean recordDecision) {
        for (int i = 0; i < t.partCount(); i++) {
            Record r = t.record(i);
            if (r != null) {
                r.pending.decrementAndGet();
            }
        }
        if (recordDecision) {
            synchronized (decided) {
                decided.add(new Decided(t.id, sampled, t.lastSeq()));
            }
        }
    }

    /** Appends the decisions settled since the last call as one record (not waited for: they only save work). */
    void flushDecisions() {
        List<Decided> batch;
        synchronized (decided) {
            if (decided.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(decided);
            decided.clear();
        }
        wal.append(TailLogCodec.encodeDecisions(batch), null);
    }

    /** Deletes the segments that hold only settled records. */
    synchronized void truncate() {
        // read before looking at the records: a record added after this read lies after this position
        long written = wal.writtenPosition();
        long newCut = cut;
        Record r;
        while ((r = inLog.peek()) != null && r.end >= 0 && r.pending.get() <= 0) {
            inLog.poll();
            newCut = r.end;
        }
        if (inLog.isEmpty()) {
            newCut = Math.max(newCut, written); // past the decisions records after the last spans record too
        }
        if (newCut > cut) {
            cut = newCut;
            wal.deleteBefore(cut);
        }
    }

    long sizeBytes() {
        return wal.sizeBytes();
    }

    /** Why the log cannot be written now, or null (see {@link WriteAheadLog#failure()}). */
    Throwable failure() {
        return wal.failure();
    }

    /** While failing: checks whether the directory takes writes again ({@link WriteAheadLog#probe()}). */
    void probe() {
        wal.probe();
    }

    /** Corrupt bytes the replay skipped (the records around them were replayed). */
    long skippedBytes() {
        return wal.skippedBytes();
    }

    int segmentCount() {
        return wal.segmentCount();
    }

    /** Writes the pending decisions, truncates and closes. */
    @Override
    public void close() {
        flushDecisions();
        wal.close();
        truncate();
    }

    /** Appends a record as it is. For tests. */
    CompletableFuture<Long> appendRawForTest(byte[] payload) {
        return wal.append(payload, null);
    }

    /** Closes the log as a crash leaves it: what was appended stays, nothing else is written. For tests. */
    void closeAsIfCrashed() {
        wal.close();
    }
}
