package io.spoor.storage.contract;

import io.spoor.model.DependencyLink;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Query builders, ids and values the contract parts and engine tests share (static imports). */
public final class ContractQueries {
    public static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private ContractQueries() {
    }

    public static TraceId traceId(long n) {
        return new TraceId(0x5000_0000_0000_0000L | n, n * 31 + 7);
    }

    public static TraceQuery query() {
        return TraceQuery.all(100);
    }

    public static TraceQuery withService(TraceQuery q, String service) {
        return new TraceQuery(Optional.of(service), q.operation(), q.tags(), q.keys(), q.status(),
                q.minDurationNanos(), q.maxDurationNanos(), q.window(), q.limit());
    }

    public static TraceQuery withOperation(TraceQuery q, String op) {
        return new TraceQuery(q.service(), Optional.of(op), q.tags(), q.keys(), q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    public static TraceQuery withTag(TraceQuery q, String key, String value) {
        List<TraceQuery.Tag> tags = new ArrayList<>(q.tags());
        tags.add(new TraceQuery.Tag(key, value));
        return new TraceQuery(q.service(), q.operation(), tags, q.keys(), q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    public static TraceQuery withDuration(TraceQuery q, long min, long max) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.keys(), q.status(), min, max, q.window(),
                q.limit());
    }

    public static TraceQuery withWindow(TraceQuery q, long start, long end) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.keys(), q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), new TimeWindow(start, end), q.limit());
    }

    public static TraceQuery withLimit(TraceQuery q, int limit) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.keys(), q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), limit);
    }

    public static TraceQuery withStatus(TraceQuery q, StatusCode code) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.keys(), Optional.of(code), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    public static TraceQuery withKey(TraceQuery q, String key) {
        List<String> keys = new ArrayList<>(q.keys());
        keys.add(key);
        return new TraceQuery(q.service(), q.operation(), q.tags(), keys, q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    public static List<TraceId> ids(List<TraceSummary> summaries) {
        return summaries.stream().map(TraceSummary::traceId).toList();
    }

    /** A one-minute dependency bucket. */
    public static DependencyBucket bucket(long start, DependencyLink... links) {
        return new DependencyBucket(start, start + MINUTE, List.of(links));
    }

    /** Printable characters that do not compress: a stored size that cannot be won back by compression. */
    public static String randomText(Random random, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('!' + random.nextInt(90));
        }
        return new String(c);
    }
}
