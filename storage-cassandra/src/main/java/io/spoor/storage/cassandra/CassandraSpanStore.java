package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.Operation;
import io.spoor.storage.SpanStore;
import io.spoor.storage.StorageStats;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.StorageUnavailableException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed span store: spans in Apache Cassandra, one compressed fragment per trace and write, with a search
 * index of per-write blocks (see {@link CassandraSchema} for the tables, {@link WriteEncoder} for what a write
 * stores, {@link TraceSearch} for reads).
 *
 * <p><b>Acknowledgement.</b> {@link #write} sends every statement of the batch (its fragments, its index blocks,
 * catalog updates) asynchronously at the configured consistency and completes only when Cassandra acknowledged all
 * of them; if any fails (a node down, a timeout), the future fails and the client is told to retry. Statements are
 * idempotent (ids derived from content), so a retried or replayed batch overwrites its own rows. The engine keeps no
 * copy of the spans after the future completes: Cassandra's commit logs and replicas are the durability.
 *
 * <p><b>Bounded.</b> At most {@code maxInFlightWrites} statements are in flight; a writer waits for room at most
 * {@code requestTimeout} and then fails ({@link WriteLimiter}). A down node fails at once (the driver has no
 * connection), a slow one after {@code requestTimeout}.
 *
 * <p><b>Retention</b> is the rows' TTL; {@link #enforceRetention()} also sweeps what is older than the retention now
 * (after the retention was shortened, or when a test's clock moved).
 */
public final class CassandraSpanStore implements SpanStore {
    private static final Logger log = LoggerFactory.getLogger(CassandraSpanStore.class);

    private final CassandraStoreSettings settings;
    private final CqlSession session;
    private final boolean ownsSession;
    private final Statements statements;
    private final IndexLayout layout;
    private final WriteLimiter limiter;
    private final TraceReads reads;
    private final TraceSearch search;
    private final Catalog catalog;
    private final DependencyTable dependencies;
    private final int ttlSeconds;
    private final ThreadLocal<WriteEncoder> encoders = ThreadLocal.withInitial(WriteEncoder::new);
    /** Buckets this instance has registered in {@code buckets}: each is written once, not with every batch. */
    private final Set<Long> bucketsRegistered = ConcurrentHashMap.newKeySet();
    private final AtomicLong storedSpans = new AtomicLong();
    private final AtomicLong pendingSpans = new AtomicLong();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final Object retentionLock = new Object();
    private volatile boolean closed;

    private CassandraSpanStore(CassandraStoreSettings settings, CqlSession session, boolean ownsSession) {
        this.settings = settings;
        this.session = session;
        this.ownsSession = ownsSession;
        CassandraSchema schema = new CassandraSchema(session, settings);
        CassandraSchema.Found found = settings.createSchema() ? schema.create() : schema.check();
        this.layout = found.layout();
        this.statements = new Statements(session, settings.keyspace());
        this.limiter = new WriteLimiter(settings.maxInFlightWrites(), settings.requestTimeout());
        this.reads = new TraceReads(session, statements);
        this.search = new TraceSearch(session, statements, reads, layout);
        this.ttlSeconds = (int) settings.retention().getSeconds();
        this.catalog = new Catalog(session, statements, settings.retention().toNanos());
        this.dependencies = new DependencyTable(session, statements);
    }

    /** Connects, checks (or, when the settings allow, creates) the schema, and opens the store. */
    public static CassandraSpanStore open(CassandraStoreSettings settings) {
        CqlSession session = Sessions.open(settings);
        try {
            return new CassandraSpanStore(settings, session, true);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A store on a session the caller owns (and closes). */
    public static CassandraSpanStore open(CassandraStoreSettings settings, CqlSession session) {
        return new CassandraSpanStore(settings, session, false);
    }

    public CassandraStoreSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- write side

    @Override
    public CompletableFuture<Void> write(List<Span> spans) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("span store is closed"));
        }
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        WriteEncoder.Encoded encoded = encoders.get().encode(spans, layout);
        List<Statement<?>> statements = statementsOf(encoded);
        int n = spans.size();
        pendingSpans.addAndGet(n);
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger outstanding = new AtomicInteger(statements.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = limiter.deadline();
        int sent = 0;
        try {
            for (Statement<?> st : statements) {
                if (failure.get() != null) {
                    break; // no use sending the rest
                }
                if (!limiter.acquire(deadline)) {
                    failure.compareAndSet(null, new StorageUnavailableException("Cassandra is not keeping up: "
                            + limiter.inFlight() + " statements in flight for " + settings.requestTimeout()
                            + "; retry later", null));
                    break;
                }
                sent++;
                session.executeAsync(st).whenComplete((rs, error) -> {
                    limiter.release();
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    if (outstanding.decrementAndGet() == 0) {
                        finish(done, failure.get(), encoded, n);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        int unsent = statements.size() - sent;
        if (unsent > 0 && outstanding.addAndGet(-unsent) == 0) {
            finish(done, failure.get(), encoded, n);
        }
        return done;
    }

    private void finish(CompletableFuture<Void> done, Throwable failure, WriteEncoder.Encoded encoded, int n) {
        pendingSpans.addAndGet(-n);
        if (failure == null) {
            storedSpans.addAndGet(n);
            writtenBytes.addAndGet(encoded.bytes());
            catalog.written(encoded);
            if (bucketsRegistered.size() > 100_000) {
                bucketsRegistered.clear(); // ~70 days of 1-minute buckets; re-registering is idempotent
            }
            for (WriteEncoder.Block b : encoded.blocks()) {
                bucketsRegistered.add(b.bucket());
            }
            done.complete(null);
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StorageUnavailableException) {
            done.completeExceptionally(cause);
        } else if (cause instanceof DriverException) {
            done.completeExceptionally(new StorageUnavailableException("Cassandra did not acknowledge " + n
                    + " spans at " + settings.consistency() + ": " + cause.getMessage(), cause));
        } else {
            done.completeExceptionally(cause);
        }
    }

    private List<Statement<?>> statementsOf(WriteEncoder.Encoded encoded) {
        List<Statement<?>> out = new ArrayList<>(encoded.fragments().size() + encoded.blocks().size() + 2);
        for (WriteEncoder.Fragment f : encoded.fragments()) {
            out.add(statements.insertFragment.bind(ByteBuffer.wrap(f.traceId().toBytes()), f.fragmentId(), f.bytes(),
                    ttlSeconds));
        }
        for (WriteEncoder.Block b : encoded.blocks()) {
            out.addAll(indexMutations(b));
            if (!bucketsRegistered.contains(b.bucket())) {
                // the registry row outlives the bucket's index rows by a bucket, so searches never miss a bucket
                long ttl = Math.min(CassandraStoreSettings.MAX_TTL.getSeconds(),
                        ttlSeconds + layout.bucketNanos() / 1_000_000_000L);
                out.add(statements.insertBucket.bind(b.bucket(), (int) ttl));
            }
        }
        out.addAll(catalog.updates(encoded, ttlSeconds));
        return out;
    }

    /**
     * A block's rows all live in one partition, so an unlogged batch of them is one mutation on each replica
     * (Cassandra does not size-check single-partition batches): one request per block however many terms it has. A
     * block larger than {@link WriteEncoder#MAX_INDEX_BATCH_BYTES} (spans with thousands of distinct attributes) is
     * split into several such batches, so that no mutation nears Cassandra's size limit.
     */
    private List<Statement<?>> indexMutations(WriteEncoder.Block b) {
        short shard = (short) b.shard();
        List<Statement<?>> out = new ArrayList<>(1);
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
        batch.addStatement(statements.insertIndexRow.bind(b.bucket(), shard, TermHash.BLOCK_HEADER, b.blockId(),
                b.header(), ttlSeconds));
        long bytes = b.header().remaining();
        for (int i = 0; i < b.terms().length; i++) {
            int size = b.postings()[i].remaining() + 32;
            if (bytes + size > WriteEncoder.MAX_INDEX_BATCH_BYTES && batch.getStatementsCount() > 0) {
                out.add(batch.build());
                batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
                bytes = 0;
            }
            batch.addStatement(statements.insertIndexRow.bind(b.bucket(), shard, b.terms()[i], b.blockId(),
                    b.postings()[i], ttlSeconds));
            bytes += size;
        }
        out.add(batch.build());
        return out;
    }

    // ---------------------------------------------------------------- read side

    /** One partition read, whatever the hint: the trace id is the partition key. */
    @Override
    public Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
        return reads.read(traceId).toCompletableFuture().join();
    }

    @Override
    public List<TraceSummary> findTraces(TraceQuery query) {
        return search.find(query);
    }

    @Override
    public List<String> services() {
        return catalog.services();
    }

    @Override
    public List<Operation> operations(String service) {
        return catalog.operations(service);
    }

    @Override
    public void putDependencies(DependencyBucket bucket) {
        dependencies.put(bucket, ttlSeconds);
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

    @Override
    public void enforceRetention() {
        synchronized (retentionLock) {
            Instant now = settings.clock().instant();
            long cutoff = now.getEpochSecond() * 1_000_000_000L + now.getNano() - settings.retention().toNanos();
            new RetentionSweep(session, statements, layout).sweep(cutoff);
            bucketsRegistered.clear();
            dependencies.deleteEndingBefore(cutoff);
            catalog.sweep(cutoff);
        }
    }

    /**
     * Spans this instance stored (acknowledged by Cassandra) since it started; the bytes of their encoded fragments as
     * sent (Cassandra compresses them on disk, and replicates them: its own disk figures come from the nodes); spans
     * sent and not yet acknowledged.
     */
    @Override
    public StorageStats stats() {
        return new StorageStats(storedSpans.get(), writtenBytes.get(), pendingSpans.get());
    }

    /** Statements in flight right now (for metrics and tests). */
    public int inFlightStatements() {
        return limiter.inFlight();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsSession) {
            session.close();
        }
        log.debug("Cassandra span store closed");
    }
}
