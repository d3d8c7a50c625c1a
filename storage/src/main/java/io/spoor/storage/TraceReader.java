package io.spoor.storage;

import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The read side of the storage SPI. Reads see acknowledged spans after at most the engine's refresh delay. */
public interface TraceReader {

    /**
     * The whole trace, duplicates removed. {@code hint} narrows the lookup on engines that partition by time
     * (pass {@link TimeWindow#ALL} when unknown); spans outside the hint may be missing from the result.
     */
    Optional<Trace> trace(TraceId traceId, TimeWindow hint);

    /**
     * Summaries of the newest {@code query.limit()} traces that match every criterion of the query, newest
     * first. The limit is applied after every filter, never before.
     */
    List<TraceSummary> findTraces(TraceQuery query);

    /** Names of every service that has stored spans, sorted. */
    List<String> services();

    /** Span names (operations) of one service with their kinds, sorted by name. */
    List<Operation> operations(String service);

    /**
     * Hands every trace that has a span starting inside {@code window} to {@code action}, each once and whole
     * (duplicates removed), in no particular order. For whole-window analyses (service dependencies) that must see
     * every trace, not the newest few.
     *
     * <p>The default enumerates with {@link #findTraces} (splitting a window that holds more than
     * {@link TraceQuery#MAX_LIMIT} traces into halves) and reads each trace with {@link #trace}; engines override it
     * with a scan that reads each stored block once.
     */
    default void scanTraces(TimeWindow window, Consumer<Trace> action) {
        Set<TraceId> ids = new LinkedHashSet<>();
        collectTraceIds(this, window, ids);
        for (TraceId id : ids) {
            trace(id, TimeWindow.ALL).ifPresent(action);
        }
    }

    private static void collectTraceIds(TraceReader reader, TimeWindow w, Set<TraceId> out) {
        List<TraceSummary> found = reader.findTraces(TraceQuery.all(TraceQuery.MAX_LIMIT).withWindowAndLimit(w,
                TraceQuery.MAX_LIMIT));
        if (found.size() < TraceQuery.MAX_LIMIT || w.startEpochNanos() == w.endEpochNanos()) {
            for (TraceSummary t : found) {
                out.add(t.traceId());
            }
            return;
        }
        long mid = w.startEpochNanos() + (w.endEpochNanos() - w.startEpochNanos()) / 2;
        collectTraceIds(reader, new TimeWindow(w.startEpochNanos(), mid), out);
        collectTraceIds(reader, new TimeWindow(mid + 1, w.endEpochNanos()), out);
    }
}
