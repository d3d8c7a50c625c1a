package io.spoor.query;

import io.spoor.dependencies.DependencyBuckets;
import io.spoor.dependencies.DependencyLinker;
import io.spoor.model.DependencyLink;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.DependencyStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Service dependencies for any time window (the read side): the calls {@link DependencyLinker} finds in the stored
 * traces whose time lies in the window, added up per caller → callee.
 *
 * <p><b>How it stays fast.</b> The write side (the stage after the store, {@code DependencyAggregator} in the
 * pipeline) aggregates settled time into {@link DependencyBuckets} buckets in the engine's {@link DependencyStore}.
 * A query adds up the stored buckets that lie wholly inside its window and derives only the rest — the partial
 * buckets at both ends, and whatever is not stored: the recent, unsealed part, buckets that late spans made dirty,
 * stretches without spans — from the stored traces. The store never holds a bucket that stored spans contradict (the
 * write side deletes a bucket as soon as a late span lands in it), so the answer is exactly what the stored spans
 * say, for any window.
 */
public final class DependencyService {
    private static final long W = DependencyBuckets.W;

    private final TraceReader reader;
    private final DependencyStore store;

    public DependencyService(TraceReader reader, DependencyStore store) {
        this.reader = reader;
        this.store = store;
    }

    /** Links of every call whose time lies in {@code window} (inclusive), sorted by parent then child. */
    public List<DependencyLink> dependencies(TimeWindow window) {
        long s = window.startEpochNanos();
        long e = window.endEpochNanos();
        List<DependencyLink> all = new ArrayList<>();
        List<TimeWindow> rest = new ArrayList<>();
        long cursor = s; // everything before cursor is accounted for
        long firstFull = DependencyBuckets.bucketOf(s); // the first bucket that starts in the window
        if (firstFull < s) {
            firstFull = firstFull > Long.MAX_VALUE - W ? Long.MAX_VALUE : firstFull + W;
        }
        if (firstFull <= e) {
            for (DependencyBucket b : store.dependencyBuckets(firstFull, e == Long.MAX_VALUE ? e : e + 1)) {
                long bs = b.startEpochNanos();
                long be = b.endEpochNanos();
                if (bs < s || be - 1 > e) {
                    continue;
                }
                if (bs > cursor) {
                    rest.add(new TimeWindow(cursor, bs - 1));
                }
                all.addAll(b.links());
                cursor = be;
            }
        }
        if (cursor <= e) {
            rest.add(new TimeWindow(cursor, e));
        }
        if (!rest.isEmpty()) {
            all.addAll(DependencyLinker.aggregate(DependencyLinker.callsIn(reader, rest)));
        }
        return DependencyLinker.merge(all);
    }
}
