package io.spoor.storage;

import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import java.util.List;
import java.util.Optional;

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
}
