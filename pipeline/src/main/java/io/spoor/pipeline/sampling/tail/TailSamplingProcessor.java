package io.spoor.pipeline.sampling.tail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.pipeline.HealthReporting;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tail_sampling} processor: buffers each trace's spans for {@code decision_wait} after its first span,
 * then runs the policies over the whole trace and passes the spans of sampled traces on. Spans arriving after the
 * decision follow it (decision caches). Memory is bounded three ways, each forcing an early decision that is
 * counted by reason: {@code num_traces} (the oldest trace is decided), {@code maximum_trace_size_bytes} (that trace
 * is decided), and memory pressure from the memory limiter (the oldest traces are decided).
 *
 * <p>With the log ({@link TailLog}, on by default) an export is acknowledged only once its buffered spans are in the
 * write-ahead log, so a crash loses nothing acknowledged: on start the log is replayed into the buffer and the
 * traces are decided at their original deadlines. Without it, an export is acknowledged once buffered (like the
 * Collector) and a crash loses the buffer. Spans that go on at once (late spans of kept traces, traces decided
 * early) are acknowledged when the next stage has them. See docs/architecture.md, "Acknowledgements".
 *
 * <p>A kept trace settles (its log records may go) only once the next stage took it. When the hand-off fails (the
 * store is down, its disk full), the trace is retried with backoff ({@link HandOffRetries}) — with a log, its spans
 * stay in the log meanwhile — and, while hand-offs fail, new exports are refused retryably, so that neither the log
 * nor the buffer grows while the store cannot take what the sampler keeps.
 */
public final class TailSamplingProcessor implements SpanConsumer, HealthReporting, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TailSamplingProcessor.class);

    /** Why a trace was decided before its {@code decision_wait} was over. */
    public enum EarlyReason {
        NUM_TRACES, MAX_TRACE_SIZE, MEMORY_LIMIT, SHUTDOWN;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final TailSamplingSettings settings;
    private final List<NamedPolicy> policies;
    private final SpanConsumer next;
    private final LongSupplier nanoClock;
    private final BooleanSupplier memoryPressure;
    private final long waitNanos;

    // guarded by this
    private final LinkedHashMap<TraceId, BufferedTrace> buffer;
    private final DecisionCache sampledIds;
    private final DecisionCache notSampledIds;
    private long bufferedSpans;
    private long bufferedBytes;

    private final Counter sampledTraces;
    private final Counter notSampledTraces;
    private final Counter sampledSpans;
    private final Counter notSampledSpans;
    private final Counter lateSampled;
    private final Counter lateNotSampled;
    private final Counter forwardFailed;
    private final Counter handOffRetried;
    private final HandOffRetries retries = new HandOffRetries();
    private final String id;
    private long lastLogProbeNanos;
    private final Map<EarlyReason, Counter> early = new EnumMap<>(EarlyReason.class);
    private final Map<String, Counter> policySampled = new HashMap<>();

    private final TailLog tailLog;
    private final LongSupplier wallMillis;

    private volatile boolean closed;
    private Thread ticker;

    /** Without a log: an export is acknowledged once buffered. */
    public TailSamplingProcessor(String id, TailSamplingSettings settings, List<NamedPolicy> policies,
                                 SpanConsumer next, MeterRegistry registry, LongSupplier nanoClock,
                                 BooleanSupplier memoryPressure) {
        this(id, settings, policies, next, registry, nanoClock, memoryPressure, null, System::currentTimeMillis);
    }

    /**
     * With {@code logSettings} (may be null: no log), the log is opened and replayed into the buffer before this
     * returns; {@code wallMillis} timestamps what is logged, so that replayed traces keep their arrival time.
     */
    public TailSamplingProcessor(String id, TailSamplingSettings settings, List<NamedPolicy> policies,
                                 SpanConsumer next, MeterRegistry registry, LongSupplier nanoClock,
                                 BooleanSupplier memoryPressure, TailLogSettings logSettings,
                                 LongSupplier wallMillis) {
        this.id = id;
        this.settings = settings;
        this.wallMillis = wallMillis;
        this.policies = List.copyOf(policies);
        this.next = next;
        this.nanoClock = nanoClock;
        this.memoryPressure = memoryPressure;
        this.waitNanos = settings.decisionWait().toNanos();
        int initial = settings.expectedNewTracesPerSec() > 0
                ? (int) Math.min(settings.numTraces(), (long) settings.expectedNewTracesPerSec()
                * Math.max(1, settings.decisionWait().toSeconds())) : 16;
        this.buffer = new LinkedHashMap<>(Math.max(16, initial * 4 / 3));
        this.sampledIds = new DecisionCache(settings.sampledCacheSize());
        this.notSampledIds = new DecisionCache(settings.nonSampledCacheSize());

        String p = "spoor_processor_tail_sampling_";
        Gauge.builder(p + "traces_buffered", this, t -> t.bufferedTraces()).tag("processor", id)
                .description("Traces waiting for their sampling decision").register(registry);
        Gauge.builder(p + "spans_buffered", this, t -> t.bufferedSpans()).tag("processor", id)
                .description("Spans waiting for their trace's sampling decision").register(registry);
        Gauge.builder(p + "buffered_bytes", this, t -> t.bufferedBytes()).tag("processor", id)
                .description("Encoded size of the buffered spans").register(registry);
        sampledTraces = counter(registry, p + "traces", id, "decision", "sampled", "Traces decided");
        notSampledTraces = counter(registry, p + "traces", id, "decision", "not_sampled", "Traces decided");
        sampledSpans = counter(registry, p + "spans", id, "decision", "sampled", "Spans of decided traces");
        notSampledSpans = counter(registry, p + "spans", id, "decision", "not_sampled", "Spans of decided traces");
        lateSampled = counter(registry, p + "late_spans", id, "decision", "sampled",
                "Spans that arrived after their trace was decided, and followed that decision");
        lateNotSampled = counter(registry, p + "late_spans", id, "decision", "not_sampled",
                "Spans that arrived after their trace was decided, and followed that decision");
        forwardFailed = Counter.builder(p + "forward_failed_spans").tag("processor", id)
                .description("Sampled spans a hand-off to the next stage failed to pass on (kept traces among them "
                        + "are retried)").register(registry);
        handOffRetried = Counter.builder(p + "handoff_retried_spans").tag("processor", id)
                .description("Spans of kept traces handed to the next stage again after a failed hand-off")
                .register(registry);
        Gauge.builder(p + "handoff_pending_spans", retries, HandOffRetries::pendingSpans).tag("processor", id)
                .description("Spans of kept traces waiting to be handed to the next stage again").register(registry);
        for (EarlyReason r : EarlyReason.values()) {
            early.put(r, counter(registry, p + "early_decisions", id, "reason", r.tag(),
                    "Traces decided before decision_wait because a bound was reached"));
        }
        for (NamedPolicy np : this.policies) {
            policySampled.put(np.name(), counter(registry, p + "policy_sampled_traces", id, "policy", np.name(),
                    "Traces a policy voted to sample"));
        }
        if (logSettings == null) {
            tailLog = null;
            return;
        }
        tailLog = new TailLog(logSettings);
        try {
            replay(tailLog.replay(), id, counter(registry, p + "wal_replayed_spans", id, "log", "tail",
                    "Spans read back from the tail-sampling log on start, to be decided"));
            tailLog.start();
        } catch (RuntimeException e) {
            tailLog.closeAsIfCrashed();
            throw e;
        }
        Gauge.builder(p + "wal_bytes", tailLog, TailLog::sizeBytes).tag("processor", id)
                .description("Bytes in the tail-sampling write-ahead log").register(registry);
        Gauge.builder(p + "wal_segments", tailLog, TailLog::segmentCount).tag("processor", id)
                .description("Segment files of the tail-sampling write-ahead log").register(registry);
        FunctionCounter.builder(p + "wal_skipped_bytes", tailLog, TailLog::skippedBytes).tag("processor", id)
                .description("Corrupt bytes of the tail-sampling log skipped on replay (the records around them "
                        + "were replayed)").register(registry);
    }

    /** Rebuilds the buffer and the decision caches from the log; each trace keeps the age it had. */
    private void replay(TailLog.Replayed replayed, String id, Counter replayedSpans) {
        for (TailLogCodec.Decided d : replayed.decisions()) {
            (d.sampled() ? sampledIds : notSampledIds).add(d.id());
        }
        long now = nanoClock.getAsLong();
        long wallNow = wallMillis.getAsLong();
        synchronized (this) {
            for (Map.Entry<TraceId, List<TailLog.ReplayedPart>> e : replayed.traces()) {
                List<TailLog.ReplayedPart> parts = e.getValue();
                long ageMillis = Math.max(0, wallNow - parts.getFirst().arrivalEpochMillis());
                BufferedTrace t = new BufferedTrace(e.getKey(),
                        now - TimeUnit.MILLISECONDS.toNanos(Math.min(ageMillis, TimeUnit.DAYS.toMillis(365))));
                for (TailLog.ReplayedPart part : parts) {
                    t.add(part.payload(), part.offset(), part.length(), part.spans(), part.record());
                }
                buffer.put(t.id, t);
                bufferedSpans += t.spanCount();
                bufferedBytes += t.encodedBytes();
            }
        }
        replayedSpans.increment(bufferedSpans);
        if (!replayed.traces().isEmpty() || !replayed.decisions().isEmpty()) {
            log.info("tail sampling {}: replayed {} spans of {} undecided traces from the log ({} decisions read)",
                    id, bufferedSpans, buffer.size(), replayed.decisions().size());
        }
    }

    private static Counter counter(MeterRegistry r, String name, String id, String tag, String value, String desc) {
        return Counter.builder(name).tag("processor", id).tag(tag, value).description(desc).register(r);
    }

    /** Starts the thread that decides due traces; the tick is a tenth of decision_wait (10 ms to 1 s). */
    public TailSamplingProcessor start() {
        long tick = Math.clamp(waitNanos / 10, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        ticker = Thread.ofPlatform().name("spoor-tail-sampling").daemon().start(() -> {
            while (!closed) {
                try {
                    TimeUnit.NANOSECONDS.sleep(tick);
                    decideDue();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("tail sampling: deciding due traces failed", e);
                }
            }
        });
        return this;
    }

    /** What one round of decisions passes on, and which kept traces settle once the next stage has them. */
    private static final class Decided {
        final List<Span> release = new ArrayList<>();
        final List<BufferedTrace> kept = new ArrayList<>();
        boolean dropped;
    }

    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the pipeline is shutting down"));
        }
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Throwable handOffFailure = retries.failing();
        if (handOffFailure != null) {
            // what is kept cannot be passed on: taking more would only grow the log and the buffer
            return CompletableFuture.failedFuture(new StorageUnavailableException("tail sampling " + id
                    + ": the next stage does not take sampled spans (" + handOffFailure + "); "
                    + retries.pendingSpans() + " spans wait for a retry; retry later", handOffFailure));
        }
        // encoded outside the lock, on the receiver's thread: one encoding serves the buffer and the log
        TailLogCodec.Encoded encoded = TailLogCodec.encode(spans, wallMillis.getAsLong());
        long now = nanoClock.getAsLong();
        Decided decided = new Decided();
        CompletableFuture<Long> logged = null;
        synchronized (this) {
            TailLog.Record record = tailLog == null ? null : tailLog.newRecord();
            for (int i = 0; i < encoded.parts(); i++) {
                TraceId id = encoded.ids()[i];
                BufferedTrace t = buffer.get(id);
                if (t == null) {
                    if (sampledIds.contains(id)) {
                        lateSampled.increment(encoded.spanCounts()[i]);
                        decided.release.addAll(encoded.groups().get(i));
                        continue;
                    }
                    if (notSampledIds.contains(id)) {
                        lateNotSampled.increment(encoded.spanCounts()[i]);
                        continue;
                    }
                    makeRoom(now, decided);
                    t = new BufferedTrace(id, now);
                    buffer.put(id, t);
                }
                if (record != null) {
                    record.pending.incrementAndGet();
                }
                t.add(encoded.payload(), encoded.offsets()[i], encoded.lengths()[i], encoded.spanCounts()[i], record);
                bufferedBytes += encoded.lengths()[i];
                bufferedSpans += encoded.spanCounts()[i];
                if (settings.maximumTraceSizeBytes() > 0 && t.encodedBytes() > settings.maximumTraceSizeBytes()) {
                    buffer.remove(t.id);
                    decide(t, now, EarlyReason.MAX_TRACE_SIZE, decided);
                }
            }
            if (record != null) {
                // under the lock, so that the log's order is the order in which the buffer saw the spans
                logged = tailLog.append(record, encoded.payload());
            }
        }
        // Early-decided traces and late spans of sampled traces go on now; the export is acknowledged when the
        // next stage has them (which also passes a slow store's back-pressure on to the clients) and when its
        // buffered spans are in the log.
        CompletableFuture<Void> passed = pass(decided);
        return logged == null ? passed : CompletableFuture.allOf(logged, passed);
    }

    /**
     * Hands the released spans to the next stage. Kept traces settle (in the log) when it has them; when it fails,
     * they wait for a retry ({@link HandOffRetries}) instead. Late spans travel with their own export, which fails
     * with the hand-off and is retried by its client.
     */
    private CompletableFuture<Void> pass(Decided decided) {
        if (tailLog != null && decided.dropped) {
            tailLog.flushDecisions();
        }
        if (decided.release.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return handOff(decided.release).whenComplete((ok, error) -> {
            if (error == null) {
                settleKept(decided.kept);
            } else {
                forwardFailed.increment(decided.release.size());
                if (!decided.kept.isEmpty()) {
                    retries.failed(decided.kept, cause(error), nanoClock.getAsLong());
                    log.warn("tail sampling {}: handing {} spans of {} kept traces to the next stage failed ({}); "
                            + "retrying with backoff", id, decided.release.size(), decided.kept.size(),
                            cause(error).toString());
                }
            }
        });
    }

    private CompletableFuture<Void> handOff(List<Span> spans) {
        CompletableFuture<Void> passed;
        try {
            passed = next.consume(spans);
        } catch (RuntimeException e) {
            passed = CompletableFuture.failedFuture(e);
        }
        return passed.whenComplete((ok, error) -> {
            if (error == null) {
                retries.succeeded();
            }
        });
    }

    /** Kept traces the next stage took: their log records may go, and their decisions are logged. */
    private void settleKept(List<BufferedTrace> kept) {
        if (tailLog == null || kept.isEmpty()) {
            return;
        }
        for (BufferedTrace t : kept) {
            tailLog.settle(t, true, true);
        }
        tailLog.flushDecisions();
    }

    private static Throwable cause(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /**
     * Hands the kept traces of failed hand-offs to the next stage again, when due ({@code all}: every one now). A
     * retry decodes the traces from the buffered log bytes again. Once one fails, the rest wait too.
     */
    private void retryHandOffs(long now, boolean all) {
        List<HandOffRetries.Pending> due = retries.takeDue(now, all);
        for (int i = 0; i < due.size(); i++) {
            HandOffRetries.Pending p = due.get(i);
            List<Span> spans = new ArrayList<>(p.spans);
            for (BufferedTrace t : p.traces) {
                spans.addAll(t.decode());
            }
            handOffRetried.increment(spans.size());
            try {
                handOff(spans).join();
            } catch (RuntimeException e) {
                forwardFailed.increment(spans.size());
                for (int j = i; j < due.size(); j++) {
                    retries.failedAgain(due.get(j), cause(e), now);
                }
                return;
            }
            settleKept(p.traces);
            log.info("tail sampling {}: handed {} spans of {} kept traces to the next stage after {} failed attempts",
                    id, spans.size(), p.traces.size(), p.attempts);
        }
    }

    /** While hand-offs fail or the log cannot be written: what fails, for /health. */
    @Override
    public List<String> healthProblems() {
        List<String> problems = new ArrayList<>();
        Throwable handOff = retries.failing();
        if (handOff != null) {
            problems.add("tail sampling " + id + ": the next stage does not take sampled spans, " + retries.pendingSpans()
                    + " spans of kept traces wait for a retry and new exports are refused: " + handOff);
        }
        Throwable logFailure = tailLog == null ? null : tailLog.failure();
        if (logFailure != null) {
            problems.add("tail sampling " + id + ": its write-ahead log cannot be written, exports are refused: "
                    + logFailure.getMessage());
        }
        return problems;
    }

    /** Before a new trace enters: keeps the buffer within num_traces, and shrinks it under memory pressure. */
    private void makeRoom(long now, Decided release) {
        while (buffer.size() >= settings.numTraces()) {
            decideOldest(now, EarlyReason.NUM_TRACES, release);
        }
        if (!buffer.isEmpty() && memoryPressure.getAsBoolean()) {
            // two out for each one in: the buffer shrinks for as long as the heap stays above the soft limit
            decideOldest(now, EarlyReason.MEMORY_LIMIT, release);
            if (!buffer.isEmpty()) {
                decideOldest(now, EarlyReason.MEMORY_LIMIT, release);
            }
        }
    }

    private void decideOldest(long now, EarlyReason reason, Decided release) {
        Iterator<BufferedTrace> it = buffer.values().iterator();
        BufferedTrace oldest = it.next();
        it.remove();
        decide(oldest, now, reason, release);
    }

    /** Decides every trace whose decision_wait is over and passes the sampled spans on (waiting for the next stage). */
    public void decideDue() {
        decideDue(nanoClock.getAsLong());
    }

    void decideDue(long now) {
        retryHandOffs(now, false);
        if (tailLog != null && tailLog.failure() != null && now - lastLogProbeNanos > TimeUnit.SECONDS.toNanos(1)) {
            lastLogProbeNanos = now;
            tailLog.probe(); // health goes up again without waiting for a client's retry
        }
        Decided release = new Decided();
        synchronized (this) {
            Iterator<BufferedTrace> it = buffer.values().iterator();
            while (it.hasNext()) {
                BufferedTrace t = it.next();
                if (now - t.firstArrivalNanos < waitNanos) {
                    break; // insertion order = arrival order of first spans: the rest are younger
                }
                it.remove();
                decide(t, now, null, release);
            }
        }
        forward(release);
        if (tailLog != null) {
            tailLog.truncate();
        }
    }

    private void decide(BufferedTrace t, long now, EarlyReason reason, Decided out) {
        bufferedSpans -= t.spanCount();
        bufferedBytes -= t.encodedBytes();
        if (reason != null) {
            early.get(reason).increment();
        }
        List<Span> spans = t.decode();
        boolean sampled = evaluate(new TraceView(t.id, spans), now);
        if (sampled) {
            sampledIds.add(t.id);
            sampledTraces.increment();
            sampledSpans.increment(spans.size());
            out.release.addAll(spans);
            out.kept.add(t);
        } else {
            notSampledIds.add(t.id);
            notSampledTraces.increment();
            notSampledSpans.increment(spans.size());
            if (tailLog != null) {
                tailLog.settle(t, false, true);
                out.dropped = true;
            }
        }
    }

    /**
     * The Collector's rule: an inverted "not sampled" (a matching {@code invert_match}) vetoes; otherwise any
     * policy that samples keeps the trace. No policies keeps everything.
     */
    private boolean evaluate(TraceView trace, long now) {
        if (policies.isEmpty()) {
            return true;
        }
        boolean sample = false;
        for (NamedPolicy p : policies) {
            Decision d = p.policy().evaluate(trace, now);
            if (d == Decision.INVERT_NOT_SAMPLED) {
                return false;
            }
            if (d.samples()) {
                policySampled.get(p.name()).increment();
                sample = true;
                if (settings.sampleOnFirstMatch()) {
                    return true;
                }
            }
        }
        return sample;
    }

    /** Passes decided traces on, waiting for the next stage; what it refuses is retried (see {@link #pass}). */
    private void forward(Decided decided) {
        try {
            pass(decided).join();
        } catch (RuntimeException e) {
            // counted and queued for a retry by pass()
        }
    }

    public synchronized int bufferedTraces() {
        return buffer.size();
    }

    public synchronized long bufferedSpans() {
        return bufferedSpans;
    }

    public synchronized long bufferedBytes() {
        return bufferedBytes;
    }

    /**
     * Decides every buffered trace now (counted as {@code shutdown}), passes the sampled spans on, records the
     * decisions in the log and closes it.
     */
    @Override
    public void close() {
        stop();
        Decided release = new Decided();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            while (!buffer.isEmpty()) {
                decideOldest(now, EarlyReason.SHUTDOWN, release);
            }
        }
        forward(release);
        handOffRemaining();
        if (tailLog != null) {
            tailLog.close();
        }
    }

    /** On shutdown: a bounded last effort (10 s) for kept traces the next stage refused. */
    private void handOffRemaining() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (retries.pendingSpans() > 0 && System.nanoTime() < deadline) {
            retryHandOffs(nanoClock.getAsLong(), true);
            if (retries.pendingSpans() > 0) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (retries.pendingSpans() > 0) {
            log.error("tail sampling {}: {} spans of {} kept traces could not be handed to the next stage before "
                    + "shutdown; {}", id, retries.pendingSpans(), retries.pendingTraces(), tailLog != null
                    ? "they stay in the log and are decided again on the next start"
                    : "they are lost (the tail-sampling log is off)");
        }
    }

    private void stop() {
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops as a crash would: nothing is decided, the log keeps what it has. For tests. */
    void closeAsIfCrashed() {
        stop();
        if (tailLog != null) {
            tailLog.closeAsIfCrashed();
        }
    }

    /** The log, for tests; null without one. */
    TailLog tailLog() {
        return tailLog;
    }
}
