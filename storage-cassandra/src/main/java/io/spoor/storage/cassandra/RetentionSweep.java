package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what is older than the retention now, for the cases TTLs do not cover: the retention was shortened after
 * the rows were written (their TTL is the old one), or a clock other than Cassandra's decides what "old" means.
 * Works bucket by bucket: a bucket that ended before the cutoff loses its fragments whose spans all started before
 * the cutoff (found through the block headers), then its index partitions and its registry row. A bucket that
 * straddles the cutoff is left to its TTL.
 */
final class RetentionSweep {
    private final CqlSession session;
    private final Statements statements;
    private final IndexLayout layout;

    RetentionSweep(CqlSession session, Statements statements, IndexLayout layout) {
        this.session = session;
        this.statements = statements;
        this.layout = layout;
    }

    void sweep(long cutoffNanos) {
        long lastWholeBucket = layout.bucketOf(cutoffNanos) - 1; // ends at or before the cutoff
        List<Long> buckets = new ArrayList<>();
        for (Row row : session.execute(statements.selectBuckets.bind(Long.MIN_VALUE, lastWholeBucket))) {
            buckets.add(row.getLong(0));
        }
        for (long bucket : buckets) {
            long bucketStart = layout.bucketStart(bucket);
            for (int shard = 0; shard < layout.shards(); shard++) {
                for (Row row : session.execute(statements.selectHeaders.bind(bucket, (short) shard)).all()) {
                    for (BlockHeader.Entry e : BlockHeader.decode(row.getByteBuffer(1), bucketStart)) {
                        if (e.fragmentMaxStart() < cutoffNanos) {
                            session.execute(statements.deleteFragment.bind(ByteBuffer.wrap(e.traceId().toBytes()),
                                    e.fragmentId()));
                        }
                    }
                }
                session.execute(statements.deleteIndexPartition.bind(bucket, (short) shard));
            }
            session.execute(statements.deleteBucket.bind(bucket));
        }
    }
}
