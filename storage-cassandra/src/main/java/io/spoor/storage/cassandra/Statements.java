package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** Every statement the engine sends, prepared once per session. */
final class Statements {
    final PreparedStatement insertFragment;
    final PreparedStatement selectTrace;
    final PreparedStatement insertIndexRow;
    final PreparedStatement selectTerm;
    final PreparedStatement selectHeaders;
    final PreparedStatement selectHeadersOf;
    final PreparedStatement deleteIndexPartition;
    final PreparedStatement deleteFragment;
    final PreparedStatement insertBucket;
    final PreparedStatement selectBuckets;
    final PreparedStatement deleteBucket;
    final PreparedStatement insertService;
    final PreparedStatement selectServices;
    final PreparedStatement deleteService;
    final PreparedStatement insertOperation;
    final PreparedStatement selectOperations;
    final PreparedStatement deleteOperation;
    final PreparedStatement insertDependencies;
    final PreparedStatement selectDependencies;
    final PreparedStatement selectDependencyDays;
    final PreparedStatement deleteDependencies;

    Statements(CqlSession s, String ks) {
        insertFragment = s.prepare("INSERT INTO " + ks + ".traces (trace_id, fragment_id, spans) VALUES (?, ?, ?)"
                + " USING TTL ?");
        selectTrace = s.prepare("SELECT spans FROM " + ks + ".traces WHERE trace_id = ?");
        insertIndexRow = s.prepare("INSERT INTO " + ks + ".search_index (bucket, shard, term, block, data)"
                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
        selectTerm = s.prepare("SELECT block, data FROM " + ks + ".search_index WHERE bucket = ? AND shard = ?"
                + " AND term = ?");
        selectHeaders = s.prepare("SELECT block, data FROM " + ks + ".search_index WHERE bucket = ? AND shard = ?"
                + " AND term = " + TermHash.BLOCK_HEADER);
        selectHeadersOf = s.prepare("SELECT block, data FROM " + ks + ".search_index WHERE bucket = ? AND shard = ?"
                + " AND term = " + TermHash.BLOCK_HEADER + " AND block IN ?");
        deleteIndexPartition = s.prepare("DELETE FROM " + ks + ".search_index WHERE bucket = ? AND shard = ?");
        deleteFragment = s.prepare("DELETE FROM " + ks + ".traces WHERE trace_id = ? AND fragment_id = ?");
        insertBucket = s.prepare("INSERT INTO " + ks + ".buckets (part, bucket) VALUES (0, ?) USING TTL ?");
        selectBuckets = s.prepare("SELECT bucket FROM " + ks + ".buckets WHERE part = 0 AND bucket >= ?"
                + " AND bucket <= ?");
        deleteBucket = s.prepare("DELETE FROM " + ks + ".buckets WHERE part = 0 AND bucket = ?");
        insertService = s.prepare("INSERT INTO " + ks + ".services (part, service, last_seen) VALUES (0, ?, ?)"
                + " USING TTL ?");
        selectServices = s.prepare("SELECT service, last_seen FROM " + ks + ".services WHERE part = 0");
        deleteService = s.prepare("DELETE FROM " + ks + ".services WHERE part = 0 AND service = ?");
        insertOperation = s.prepare("INSERT INTO " + ks + ".operations (service, operation, kind, last_seen)"
                + " VALUES (?, ?, ?, ?) USING TTL ?");
        selectOperations = s.prepare("SELECT operation, kind, last_seen FROM " + ks + ".operations"
                + " WHERE service = ?");
        deleteOperation = s.prepare("DELETE FROM " + ks + ".operations WHERE service = ? AND operation = ?"
                + " AND kind = ?");
        insertDependencies = s.prepare("INSERT INTO " + ks + ".dependencies (day, start, end, links)"
                + " VALUES (?, ?, ?, ?) USING TTL ?");
        selectDependencies = s.prepare("SELECT start, end, links FROM " + ks + ".dependencies WHERE day = ?"
                + " AND start >= ? AND start < ?");
        selectDependencyDays = s.prepare("SELECT DISTINCT day FROM " + ks + ".dependencies");
        deleteDependencies = s.prepare("DELETE FROM " + ks + ".dependencies WHERE day = ? AND start = ?");
    }
}
