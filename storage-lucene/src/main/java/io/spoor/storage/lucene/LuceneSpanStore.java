package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.Operation;
import io.spoor.storage.SpanStore;
import io.spoor.storage.StorageHealth;
import io.spoor.storage.StorageUnavailableException;
import io.spoor.storage.StorageStats;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.spanlog.codec.SpanCodec;
import io.spoor.spanlog.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Bits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded span store: a write-ahead log for durability in front of a Lucene index for reads.
 *
 * <p><b>Write path.</b> {@link #write} groups the batch's spans by trace into fragments, encodes each once
 * ({@link io.spoor.spanlog.codec.SpanCodec}) and appends the batch as one record to the {@link WriteAheadLog}. The
 * log's writer thread writes records in groups, fsyncs per {@link io.spoor.spanlog.wal.FsyncPolicy}, hands each
 * record to the bounded {@link IndexQueue} (blocking while it is full: back-pressure) and then completes the
 * future. Acknowledged spans are thus in the OS page cache and survive {@code kill -9}.
 *
 * <p><b>Indexing.</b> One indexer thread adds one Lucene document per write: a {@link Block} holding the encoded
 * batch and its distinct terms (see {@link Block} for why one per write rather than one per trace fragment). A
 * {@link SearcherManager} refreshed every {@code refreshInterval} makes them visible. Every {@code commitInterval}
 * the index is committed together with the log position it covers; log segments wholly before it are deleted. On
 * open, the log is replayed from the committed position. (A commit runs concurrently with indexing, so it may contain
 * a few blocks past its recorded position; after a crash those are indexed again. Reads deduplicate spans and
 * traces, so that is invisible apart from {@link StorageStats#storedSpans()}, which counts stored copies.)
 *
 * <p><b>Poison never spreads.</b> A block whose document Lucene refuses is stored unindexed ({@link BlockIndexer});
 * the log position only moves past a block once it is in the index writer. When the writer itself fails (a full
 * disk, an I/O error: Lucene then closes it), the indexer keeps the failed block, writes are refused with
 * {@link StorageUnavailableException}, and the indexer rebuilds the writer in the background, with backoff: roll back
 * to the last commit, replay the log from there up to the failed block, commit. A record that replay cannot read or
 * index at all is skipped with an ERROR naming it and counted ({@link StorageStats#skippedLogRecords()}); nothing
 * else is. See docs/architecture.md, "Faults".
 *
 * <p><b>Reads</b> use the index as a coarse filter and verify candidates exactly: see {@link TraceSearcher}.
 * <b>Retention</b> by age and size runs every {@code retentionCheckInterval} and on {@link #enforceRetention()}.
 */
public final class LuceneSpanStore implements SpanStore {
    private static final Logger log = LoggerFactory.getLogger(LuceneSpanStore.class);
    static final String WAL_POSITION = "spoor.walPosition";
    private static final double FORCE_MERGE_DELETES_PCT = 5.0;
    private static final double SEGMENTS_PER_TIER = 20;
    private static final long MIN_RECOVERY_BACKOFF_MILLIS = 100;
    private static final long MAX_RECOVERY_BACKOFF_MILLIS = 5_000;
    private static final long LOG_PROBE_INTERVAL_MILLIS = 1_000;

    private final LuceneStoreSettings settings;
    private final Directory directory;
    // replaced together (under commitLock and retentionLock) when the indexer rebuilds a failed writer
    private volatile IndexWriter writer;
    private volatile ConcurrentMergeScheduler mergeScheduler;
    private volatile SearcherManager searchers;
    private final WriteAheadLog<IndexBatch> wal;
    private final IndexQueue queue;
    private final ServiceCatalog catalog = new ServiceCatalog();
    /** Aggregated dependency links (query side's cache), kept beside the index under {@code dependencies/}. */
    private final DependencyBucketFile dependencies;
    private final ThreadLocal<BatchCodec> codecs = ThreadLocal.withInitial(BatchCodec::new);
    private final BlockIndexer blockIndexer = new BlockIndexer(); // indexer thread (and open) only
    private final AtomicLong storedSpans = new AtomicLong();
    private final AtomicLong pendingSpans = new AtomicLong();
    private final AtomicLong unindexedSpans = new AtomicLong();
    private final AtomicLong truncatedIndexNames = new AtomicLong();
    private final AtomicLong skippedRecords = new AtomicLong();
    private final Object commitLock = new Object();
    private final Object retentionLock = new Object();
    private final Thread indexer;
    private final ScheduledExecutorService maintenance;
    private volatile long indexedPosition;
    private long committedPosition = -1; // guarded by commitLock
    private volatile boolean stopIndexer;
    /** Held by the indexer while it takes and indexes a batch; tests hold it to stall indexing. */
    private final java.util.concurrent.Semaphore indexingGate = new java.util.concurrent.Semaphore(1);
    private volatile boolean closed;
    /** Set (by the indexer only) while the index cannot be written; writes are refused until it is rebuilt. */
    private volatile IndexFailure indexFailure;
    /** Set by any thread that finds the writer closed by a failure; the indexer turns it into an IndexFailure. */
    private volatile Throwable writerBroken;
    /** The last commit's failure, until a commit succeeds. */
    private volatile Throwable commitFailure;

    /**
     * Why the index cannot be written, and what a rebuild must cover: the log up to {@code recoverUpTo} (the end of
     * the block the indexer failed on, or of everything it took), of which {@code heldSpans} are still pending.
     */
    private record IndexFailure(Throwable cause, long recoverUpTo, int heldSpans) {
    }

    public static LuceneSpanStore open(LuceneStoreSettings settings) {
        try {
            return new LuceneSpanStore(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open span store in " + settings.dataDir(), e);
        }
    }

    private LuceneSpanStore(LuceneStoreSettings settings) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.indexDir());
        this.dependencies = DependencyBucketFile.open(settings.dataDir().resolve("dependencies"));
        this.directory = new MMapDirectory(settings.indexDir());
        this.queue = new IndexQueue(settings.indexQueueBytes());
        this.wal = new WriteAheadLog<>(settings.walDir(), settings.fsyncPolicy(), settings.fsyncInterval(),
                settings.walSegmentBytes());
        try {
            this.writer = newWriter();
            this.searchers = new SearcherManager(writer, null);
            long committed = committedWalPosition(writer);
            committedPosition = committed;
            indexedPosition = committed;
            Replay replay = new Replay(writer);
            long logEnd = Math.max(committed, wal.replay(committed, replay::record));
            if (replay.failure == null) {
                try {
                    searchers.maybeRefreshBlocking(); // flushes what was replayed: the first write to the index
                } catch (IOException | AlreadyClosedException e) {
                    replay.failure = BlockIndexer.why(writer, e);
                }
            }
            if (replay.failure == null) {
                indexedPosition = logEnd;
                if (replay.spans > 0) {
                    log.info("replayed {} spans from the write-ahead log", replay.spans);
                }
                catalog.reload(searchers);
            } else {
                refuseToOpenOnCorruption(replay.failure);
                // A full disk must not keep the store from opening: reads serve the last commit, writes are refused
                // and the indexer rebuilds the index from the log once the disk takes writes again.
                log.error("span store in {}: the index cannot be written ({}); opening without it: writes are refused "
                        + "until the indexer has rebuilt it from the log", settings.dataDir(), replay.failure.toString());
                indexFailure = new IndexFailure(replay.failure, logEnd, 0);
                IndexSearcher lastCommit = searchers.acquire();
                try {
                    catalog.addFrom(lastCommit);
                } finally {
                    searchers.release(lastCommit);
                }
            }
            storedSpans.set(countStoredSpans());
            wal.start(logEnd, (batch, bytes, endPosition) -> queue.put(batch, endPosition));
            wal.deleteBefore(committed);
        } catch (IOException | RuntimeException e) {
            dependencies.close();
            wal.close();
            if (searchers != null) {
                searchers.close();
            }
            if (writer != null) {
                writer.rollback();
            }
            directory.close();
            throw e;
        }
        this.indexer = new Thread(this::runIndexer, "spoor-indexer");
        indexer.setDaemon(true);
        indexer.start();
        this.maintenance = Executors.newScheduledThreadPool(2, daemonThreads());
        schedule(this::refresh, settings.refreshInterval().toMillis());
        schedule(this::commit, settings.commitInterval().toMillis());
        schedule(this::enforceRetention, settings.retentionCheckInterval().toMillis());
        schedule(wal::probe, LOG_PROBE_INTERVAL_MILLIS); // a failing log checks for room by itself (health goes up)
    }

    /** A corrupt or incompatible index is not a passing condition: opening fails with it, as before. */
    private static void refuseToOpenOnCorruption(Throwable t) throws IOException {
        if (t instanceof CorruptIndexException || t instanceof IndexFormatTooOldException
                || t instanceof IndexFormatTooNewException) {
            throw (IOException) t;
        }
    }

    private IndexWriter newWriter() throws IOException {
        ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
        IndexWriter w = new IndexWriter(directory, writerConfig(settings).setMergeScheduler(merges));
        mergeScheduler = merges;
        return w;
    }

    private static IndexWriterConfig writerConfig(LuceneStoreSettings settings) {
        IndexWriterConfig cfg = new IndexWriterConfig();
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        cfg.setRAMBufferSizeMB(settings.ramBufferMb());
        cfg.setUseCompoundFile(false); // bake-off: compound files only cost a copy at flush time
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setNoCFSRatio(0.0);
        merges.setForceMergeDeletesPctAllowed(FORCE_MERGE_DELETES_PCT);
        // Each refresh flushes a small segment and merges rewrite the whole term dictionary (mostly unique ids and
        // user ids) again at every tier. More segments per tier = fewer rewrites. Measured at 150k spans/s: 8 (the
        // default) 7.4-8.2, 20: 6.6-7.1, 30: 6.0-6.4 us/span; 30 made search A about twice as slow, 20 did not.
        merges.setSegmentsPerTier(SEGMENTS_PER_TIER);
        cfg.setMergePolicy(merges);
        cfg.setCodec(new Lucene104Codec(settings.compression() == StoredFieldsCompression.SMALL
                ? Lucene104Codec.Mode.BEST_COMPRESSION : Lucene104Codec.Mode.BEST_SPEED));
        // close() commits explicitly with the exact log position; an implicit commit could record a stale one
        cfg.setCommitOnClose(false);
        return cfg;
    }

    private static long committedWalPosition(IndexWriter writer) {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> e : data) {
                if (WAL_POSITION.equals(e.getKey())) {
                    return Long.parseLong(e.getValue());
                }
            }
        }
        return 0;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "spoor-store-maintenance-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a task periodically; a failure that repeats the last one is logged at debug (a full disk lasts). */
    private void schedule(Runnable task, long periodMillis) {
        String[] lastFailure = {null};
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                task.run();
                lastFailure[0] = null;
            } catch (Throwable t) {
                if (closed) {
                    return;
                }
                if (String.valueOf(t).equals(lastFailure[0])) {
                    log.debug("span store maintenance task failed again", t);
                } else {
                    log.error("span store maintenance task failed", t);
                    lastFailure[0] = String.valueOf(t);
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- write side

    @Override
    public CompletableFuture<Void> write(List<Span> spans) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("span store is closed"));
        }
        IndexFailure failing = indexFailure;
        if (failing != null) {
            return CompletableFuture.failedFuture(new StorageUnavailableException("the span index cannot be written ("
                    + failing.cause() + "); retry later", failing.cause()));
        }
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        BatchCodec.Encoded encoded;
        try {
            encoded = codecs.get().encode(spans);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // a future, always: the caller answers its client from it
        }
        int n = spans.size();
        pendingSpans.addAndGet(n);
        return wal.append(encoded.payload(), encoded.batch()).handle((position, error) -> {
            if (error != null) {
                pendingSpans.addAndGet(-n);
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof IOException io) {
                    // a full disk: nothing of the batch is in the log; the client retries, and the log writes again
                    // as soon as there is room
                    throw new StorageUnavailableException("the write-ahead log cannot be written (" + io.getMessage()
                            + "); retry later", io);
                }
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            }
            return null;
        });
    }

    /**
     * Takes batches from the queue in log order and indexes them. The indexed position moves past a batch only once
     * it is in the writer; when the writer fails, the indexer holds that batch and rebuilds the writer from the log
     * ({@link #recover}) until it works again.
     */
    private void runIndexer() {
        long backoff = MIN_RECOVERY_BACKOFF_MILLIS;
        while (true) {
            try {
                indexingGate.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (indexFailure == null && writerBroken != null) {
                    indexFailure = new IndexFailure(writerBroken, indexedPosition, 0);
                }
                IndexFailure failure = indexFailure;
                if (failure != null) {
                    if (closed) {
                        queue.abandon(); // the log keeps the rest; the next start replays it
                        return;
                    }
                    if (recover(failure)) {
                        backoff = MIN_RECOVERY_BACKOFF_MILLIS;
                    } else {
                        pause(backoff);
                        backoff = Math.min(MAX_RECOVERY_BACKOFF_MILLIS, backoff * 2);
                    }
                    continue;
                }
                IndexQueue.Entry entry = queue.poll(100);
                if (entry == null) {
                    if (stopIndexer) {
                        return;
                    }
                    continue;
                }
                try {
                    add(writer, entry.batch(), entry.endPosition());
                } catch (BlockIndexer.WriterFailure | RuntimeException e) {
                    // Never past a batch that is not in the index: the log keeps it, and the rebuild replays it (a
                    // batch that even a working writer refuses unindexed is then skipped, loudly).
                    Throwable cause = e instanceof BlockIndexer.WriterFailure ? e.getCause() : e;
                    log.error("span store: indexing {} spans (log position {}) failed; refusing writes and rebuilding the "
                            + "index from the log", entry.batch().spanCount(), entry.endPosition(), cause);
                    indexFailure = new IndexFailure(cause, entry.endPosition(), entry.batch().spanCount());
                    continue;
                }
                pendingSpans.addAndGet(-entry.batch().spanCount());
                indexedPosition = entry.endPosition();
            } catch (InterruptedException e) {
                return;
            } finally {
                indexingGate.release();
            }
        }
    }

    /** Sleeps up to {@code millis}, waking early when the store closes. */
    private void pause(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!closed && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(50, millis));
        }
    }

    /** Adds one batch to {@code target} and counts it; see {@link BlockIndexer#add} for what it throws. */
    private void add(IndexWriter target, IndexBatch batch, long endPosition) throws BlockIndexer.WriterFailure {
        Block block = batch.block();
        BlockIndexer.Outcome outcome = blockIndexer.add(target, block, endPosition);
        if (outcome == BlockIndexer.Outcome.UNINDEXED) {
            unindexedSpans.addAndGet(block.spanCount());
        }
        truncatedIndexNames.addAndGet(block.truncatedCatalogNames());
        catalog.addAll(block.catalogEntries());
        storedSpans.addAndGet(batch.spanCount());
    }

    /**
     * Indexes log records read back (on open, and when the writer is rebuilt): a record that cannot be decoded, or
     * that even a working writer refuses in its unindexed form, is skipped with an ERROR naming it and counted; a
     * failure of the writer itself is kept in {@link #failure} and stops indexing (the rest is only read through).
     */
    private final class Replay {
        private final IndexWriter target;
        Throwable failure;
        long spans;

        Replay(IndexWriter target) {
            this.target = target;
        }

        void record(byte[] payload, long endPosition) {
            if (failure != null) {
                return;
            }
            IndexBatch batch;
            try {
                batch = BatchCodec.decode(payload);
            } catch (RuntimeException e) {
                skip(payload, endPosition, e);
                return;
            }
            try {
                add(target, batch, endPosition);
                spans += batch.spanCount();
            } catch (BlockIndexer.WriterFailure e) {
                failure = e.getCause();
            } catch (RuntimeException e) {
                skip(payload, endPosition, e);
            }
        }
    }

    private void skip(byte[] payload, long endPosition, Throwable why) {
        skippedRecords.incrementAndGet();
        log.error("write-ahead log record ending at position {} ({} bytes, traces {}) cannot be indexed and is skipped; "
                + "its spans are not readable (counted in spoor_storage_skipped_log_records_total)", endPosition,
                payload.length, traceIdsOf(payload), why);
    }

    /** The trace ids a record holds, as far as they can be read, for naming it in a log line. */
    private static String traceIdsOf(byte[] payload) {
        StringBuilder ids = new StringBuilder();
        try {
            BatchCodec.forEachFragment(payload, (offset, length) -> {
                if (ids.length() < 400) {
                    ids.append(ids.isEmpty() ? "" : ",").append(SpanCodec.traceIdOf(payload, offset, length).toHex());
                }
            });
        } catch (RuntimeException unreadable) {
            ids.append(ids.isEmpty() ? "unreadable" : ",…");
        }
        return ids.toString();
    }

    /**
     * Rebuilds the index writer after a failure: rolls the broken writer back to its last commit, opens a new one,
     * replays the log from that commit up to {@code failure.recoverUpTo()} and commits (which proves that the disk
     * takes the index again). Returns false, leaving the store refusing writes, when any step fails.
     */
    private boolean recover(IndexFailure failure) {
        IndexWriter fresh = null;
        try {
            rollbackQuietly(writer);
            fresh = newWriter();
            long committed = committedWalPosition(fresh);
            Replay replay = new Replay(fresh);
            wal.read(committed, failure.recoverUpTo(), replay::record);
            if (replay.failure != null) {
                throw replay.failure;
            }
            fresh.setLiveCommitData(Map.of(WAL_POSITION, Long.toString(failure.recoverUpTo())).entrySet());
            fresh.commit();
            SearcherManager fresher = new SearcherManager(fresh, null);
            SearcherManager old;
            synchronized (retentionLock) {
                synchronized (commitLock) {
                    writer = fresh;
                    old = searchers;
                    searchers = fresher;
                    committedPosition = failure.recoverUpTo();
                    indexedPosition = failure.recoverUpTo();
                }
            }
            closeQuietly(old);
            pendingSpans.addAndGet(-failure.heldSpans());
            writerBroken = null;
            commitFailure = null;
            indexFailure = null;
            storedSpans.set(countStoredSpans());
            catalog.reload(searchers);
            wal.deleteBefore(failure.recoverUpTo());
            log.warn("span store: the index is writable again (rebuilt from the log up to position {}); accepting writes",
                    failure.recoverUpTo());
            return true;
        } catch (Throwable failed) {
            Throwable t = fresh != null ? BlockIndexer.why(fresh, failed) : failed;
            if (fresh != null) {
                rollbackQuietly(fresh);
            }
            if (!String.valueOf(t).equals(String.valueOf(failure.cause()))) {
                log.warn("span store: rebuilding the index failed ({}); retrying", t.toString());
            }
            indexFailure = new IndexFailure(t, failure.recoverUpTo(), failure.heldSpans());
            return false;
        }
    }

    private static void rollbackQuietly(IndexWriter w) {
        try {
            w.rollback();
        } catch (IOException | RuntimeException e) {
            log.debug("rolling back a failed index writer", e);
        }
    }

    private static void closeQuietly(SearcherManager m) {
        try {
            m.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a searcher manager", e);
        }
    }

    /** Notes that the writer was closed by a failure, so that the indexer rebuilds it. */
    private void noteIfBroken(IndexWriter w, Throwable e) {
        if (w == writer && BlockIndexer.broken(w)) {
            writerBroken = BlockIndexer.why(w, e);
        }
    }

    /** Waits until everything written to the log so far is in the index writer (not necessarily visible). */
    private void awaitIndexed(long timeoutMillis) {
        long target = wal.writtenPosition();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (indexedPosition < target && indexFailure == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void refresh() {
        if (indexFailure != null) {
            return; // reads keep the last searcher until the writer is rebuilt
        }
        IndexWriter w = writer;
        try {
            searchers.maybeRefresh(); // flushes new documents to a segment: the index's first write
        } catch (IOException | AlreadyClosedException e) {
            noteIfBroken(w, e);
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Commits the index with the log position it covers, then deletes the log before it. */
    private void commit() {
        synchronized (commitLock) {
            if (indexFailure != null) {
                return; // the rebuild commits
            }
            IndexWriter w = writer;
            long position = indexedPosition;
            try {
                if (position == committedPosition && !w.hasUncommittedChanges()) {
                    wal.deleteBefore(position); // a segment may have been rolled since the last commit
                    return;
                }
                w.setLiveCommitData(Map.of(WAL_POSITION, Long.toString(position)).entrySet());
                w.commit();
            } catch (IOException | RuntimeException e) {
                commitFailure = BlockIndexer.why(w, e);
                noteIfBroken(w, e);
                throw new UncheckedIOException("index commit failed", e instanceof IOException io ? io
                        : new IOException(e));
            }
            commitFailure = null;
            committedPosition = position;
            wal.deleteBefore(position);
        }
    }

    // ---------------------------------------------------------------- read side

    private <T> T withSearcher(SearchFunction<T> f) {
        for (int attempt = 0; ; attempt++) {
            SearcherManager manager = searchers;
            IndexSearcher searcher;
            try {
                searcher = manager.acquire();
            } catch (AlreadyClosedException replaced) {
                if (attempt < 3) {
                    continue; // the writer was rebuilt meanwhile; the new manager serves
                }
                throw replaced;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return f.apply(new TraceSearcher(searcher));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                release(manager, searcher);
            }
        }
    }

    private static void release(SearcherManager manager, IndexSearcher searcher) {
        try {
            manager.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface SearchFunction<T> {
        T apply(TraceSearcher searcher) throws IOException;
    }

    /** The hint is ignored: a trace id is one term lookup over the whole store, whatever its age. */
    @Override
    public Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
        return withSearcher(s -> s.trace(traceId));
    }

    @Override
    public List<TraceSummary> findTraces(TraceQuery query) {
        return withSearcher(s -> s.findTraces(query));
    }

    @Override
    public List<String> services() {
        return catalog.services();
    }

    @Override
    public List<Operation> operations(String service) {
        return catalog.operations(service);
    }

    /** Reads each block of the window once ({@link TraceScan}) instead of one trace lookup per trace. */
    @Override
    public void scanTraces(TimeWindow window, java.util.function.Consumer<Trace> action) {
        withSearcher(s -> {
            TraceScan.scan(s.indexSearcher(), window, action);
            return null;
        });
    }

    @Override
    public void putDependencies(DependencyBucket bucket) {
        dependencies.put(bucket);
    }

    @Override
    public List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos) {
        return dependencies.range(fromEpochNanos, toEpochNanos);
    }

    @Override
    public void deleteDependencies(long startEpochNanos) {
        dependencies.delete(startEpochNanos);
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * One retention pass: waits until what was written is indexed, deletes blocks whose every span started
     * before now − retention, then, while index + log exceed {@code maxDiskBytes}, deletes the oldest blocks
     * (by earliest span start) and merges the deletions away so that the files actually shrink.
     */
    @Override
    public void enforceRetention() {
        synchronized (retentionLock) {
            if (indexFailure != null) {
                return; // deleting needs a working writer; the next pass catches up
            }
            try {
                awaitIndexed(60_000);
                long cutoff = nanos(settings.clock().instant()) - settings.retention().toNanos();
                dependencies.deleteEndingBefore(cutoff);
                boolean deleted = deleteOlderThan(cutoff);
                wal.roll().join();
                awaitIndexed(60_000);
                commit();
                if (settings.maxDiskBytes() > 0) {
                    deleted |= shrinkToDiskLimit(settings.maxDiskBytes());
                }
                if (deleted) {
                    searchers.maybeRefreshBlocking();
                    storedSpans.set(countStoredSpans());
                    catalog.reload(searchers);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("retention pass failed", e);
            }
        }
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private boolean deleteOlderThan(long cutoffNanos) throws IOException {
        Query expired = LongPoint.newRangeQuery(BlockDocument.LAST_START, Long.MIN_VALUE, cutoffNanos - 1);
        searchers.maybeRefreshBlocking();
        if (count(expired) == 0) {
            return false;
        }
        writer.deleteDocuments(expired);
        return true;
    }

    private boolean shrinkToDiskLimit(long limit) throws IOException {
        boolean deleted = false;
        for (int round = 0; round < 8; round++) {
            searchers.maybeRefreshBlocking();
            long size = diskBytes();
            if (size <= limit) {
                break;
            }
            IndexSearcher searcher = searchers.acquire();
            try {
                int live = searcher.getIndexReader().numDocs();
                if (live == 0) {
                    break;
                }
                // stored spans dominate the size, so documents are a fair proxy for bytes; aim 10 % under the limit
                double fraction = Math.min(1.0, (size - 0.9 * limit) / size);
                int k = (int) Math.max(1, Math.ceil(live * fraction));
                long cutoff = kthOldestStart(searcher, k);
                log.info("span store uses {} bytes (limit {}): deleting the ~{} oldest of {} blocks", size, limit,
                        k, live);
                writer.deleteDocuments(LongPoint.newRangeQuery(BlockDocument.START, Long.MIN_VALUE, cutoff));
                // the service map must not keep showing calls whose spans are gone
                dependencies.deleteEndingBefore(cutoff);
            } finally {
                searchers.release(searcher);
            }
            reclaimDeletedSpace();
            deleted = true;
        }
        return deleted;
    }

    /**
     * Merges segments with many deleted documents away so that the files shrink. {@code forceMergeDeletes(true)} does
     * not wait for a merge that a commit already started on the same segment, so this repeats until every segment
     * is (nearly) free of deletions, for at most a minute.
     */
    private void reclaimDeletedSpace() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            writer.forceMergeDeletes(true);
            // a merge that started before the deletions still holds the old segment files; with a few large
            // documents (one per write) those files are a big share of the size, so wait for it before measuring
            mergeScheduler.sync();
            commit();
            searchers.maybeRefreshBlocking();
            writer.deleteUnusedFiles();
            if (maxDeletedFraction() <= FORCE_MERGE_DELETES_PCT / 100 || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private double maxDeletedFraction() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            double max = 0;
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                int maxDoc = leaf.reader().maxDoc();
                if (maxDoc > 0) {
                    max = Math.max(max, (double) leaf.reader().numDeletedDocs() / maxDoc);
                }
            }
            return max;
        } finally {
            searchers.release(searcher);
        }
    }

    /** The smallest start time t such that at least k blocks start at or before t (binary search on counts). */
    private static long kthOldestStart(IndexSearcher searcher, int k) throws IOException {
        long lo = extremeStart(searcher, false);
        long hi = extremeStart(searcher, true);
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (searcher.count(LongPoint.newRangeQuery(BlockDocument.START, Long.MIN_VALUE, mid)) >= k) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static long extremeStart(IndexSearcher searcher, boolean newest) throws IOException {
        TopFieldDocs top = searcher.search(new MatchAllDocsQuery(), 1,
                new Sort(new SortField(BlockDocument.START, SortField.Type.LONG, newest)));
        return (Long) ((FieldDoc) top.scoreDocs[0]).fields[0];
    }

    private int count(Query q) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.count(q);
        } finally {
            searchers.release(searcher);
        }
    }

    private long countStoredSpans() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            long total = 0;
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                NumericDocValues counts = leaf.reader().getNumericDocValues(BlockDocument.SPAN_COUNT);
                if (counts == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = counts.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = counts.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        total += counts.longValue();
                    }
                }
            }
            return total;
        } finally {
            searchers.release(searcher);
        }
    }

    private long diskBytes() {
        long total = wal.sizeBytes() + dependencies.diskBytes();
        try {
            for (String file : directory.listAll()) {
                try {
                    total += directory.fileLength(file);
                } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                    // deleted by a merge meanwhile
                }
            }
        } catch (IOException e) {
            log.debug("cannot size the index", e);
        }
        return total;
    }

    /**
     * Stored spans (copies, including retried duplicates), bytes of index + log, spans accepted but not indexed, and
     * the fault counters since open.
     */
    @Override
    public StorageStats stats() {
        return new StorageStats(storedSpans.get(), diskBytes(), pendingSpans.get(), unindexedSpans.get(),
                truncatedIndexNames.get(), skippedRecords.get(), wal.skippedBytes());
    }

    /** Degraded while the log cannot be written, the index cannot be written (writes are refused) or commits fail. */
    @Override
    public StorageHealth health() {
        List<String> problems = new ArrayList<>();
        Throwable log = wal.failure();
        if (log != null) {
            problems.add("write-ahead log cannot be written, writes are refused: " + log.getMessage());
        }
        IndexFailure failure = indexFailure;
        if (failure != null) {
            problems.add("index cannot be written, writes are refused until it is rebuilt: " + failure.cause());
        }
        Throwable commit = commitFailure;
        if (commit != null && failure == null) {
            problems.add("index commits fail (the log keeps growing until one succeeds): " + commit);
        }
        return StorageHealth.of(problems);
    }

    public LuceneStoreSettings settings() {
        return settings;
    }

    /** Bytes of the write-ahead log alone (part of {@link StorageStats#diskBytes()}). */
    public long walBytes() {
        return wal.sizeBytes();
    }

    /** Test hook: stalls the indexer after its current batch, so that the index queue fills up. */
    void pauseIndexing() throws InterruptedException {
        indexingGate.acquire();
    }

    void resumeIndexing() {
        indexingGate.release();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (indexFailure != null) {
            queue.abandon(); // the indexer cannot take them; they are in the log, replayed on the next start
        }
        wal.close(); // writes what is queued and hands it to the indexer
        stopIndexer = true;
        try {
            indexer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = indexFailure == null;
        if (clean) {
            try {
                commit();
            } catch (RuntimeException e) {
                log.warn("span store: the last commit failed; the log keeps what it did not cover, replayed on the "
                        + "next start", e);
                clean = false;
            }
        }
        closeQuietly(searchers);
        try {
            if (clean) {
                writer.close();
            } else {
                writer.rollback();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("span store: closing the index writer failed", e);
        }
        try {
            directory.close();
        } catch (IOException e) {
            log.warn("span store: closing the index directory failed", e);
        }
        dependencies.close();
    }
}
