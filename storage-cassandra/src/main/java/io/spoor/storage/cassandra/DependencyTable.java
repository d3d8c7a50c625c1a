package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.spoor.model.DependencyLink;
import io.spoor.spanlog.codec.ByteSink;
import io.spoor.spanlog.codec.ByteSource;
import io.spoor.storage.DependencyBucket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Aggregated dependency buckets in {@code dependencies}, partitioned by the day of their start. A range read asks
 * Cassandra which days exist ({@code SELECT DISTINCT day}, a handful of partitions under any retention) rather than
 * probing every day of an open-ended range.
 */
final class DependencyTable {
    private static final long DAY = 86_400_000_000_000L;

    private final CqlSession session;
    private final Statements statements;

    DependencyTable(CqlSession session, Statements statements) {
        this.session = session;
        this.statements = statements;
    }

    void put(DependencyBucket bucket, int ttlSeconds) {
        session.execute(statements.insertDependencies.bind(day(bucket.startEpochNanos()), bucket.startEpochNanos(),
                bucket.endEpochNanos(), encode(bucket.links()), ttlSeconds));
    }

    List<DependencyBucket> range(long from, long to) {
        List<DependencyBucket> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        long firstDay = day(from);
        long lastDay = day(to - 1);
        for (int day : days()) {
            if (day < firstDay || day > lastDay) {
                continue;
            }
            for (Row row : session.execute(statements.selectDependencies.bind(day, from, to))) {
                out.add(new DependencyBucket(row.getLong(0), row.getLong(1), decode(row.getByteBuffer(2))));
            }
        }
        out.sort(Comparator.comparingLong(DependencyBucket::startEpochNanos));
        return out;
    }

    void delete(long start) {
        session.execute(statements.deleteDependencies.bind(day(start), start));
    }

    /** Deletes every bucket that ends at or before {@code cutoff}. */
    void deleteEndingBefore(long cutoff) {
        for (int day : days()) {
            if ((long) day * DAY > cutoff) {
                continue;
            }
            for (Row row : session.execute(statements.selectDependencies.bind(day, Long.MIN_VALUE, cutoff)).all()) {
                if (row.getLong(1) <= cutoff) {
                    session.execute(statements.deleteDependencies.bind(day, row.getLong(0)));
                }
            }
        }
    }

    private List<Integer> days() {
        List<Integer> days = new ArrayList<>();
        for (Row row : session.execute(statements.selectDependencyDays.bind())) {
            days.add(row.getInt(0));
        }
        return days;
    }

    private static int day(long epochNanos) {
        return (int) Math.floorDiv(epochNanos, DAY);
    }

    private static ByteBuffer encode(List<DependencyLink> links) {
        ByteSink out = new ByteSink(32 + links.size() * 32);
        out.writeVarInt(links.size());
        for (DependencyLink l : links) {
            out.writeString(l.parent());
            out.writeString(l.child());
            out.writeVarLong(l.callCount());
            out.writeVarLong(l.errorCount());
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    private static List<DependencyLink> decode(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        ByteSource in = new ByteSource(bytes, 0, bytes.length);
        int n = in.readCount();
        List<DependencyLink> links = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            links.add(new DependencyLink(in.readString(), in.readString(), in.readVarLong(), in.readVarLong()));
        }
        return links;
    }
}
