package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.spoor.model.SpanKind;
import io.spoor.storage.CatalogNames;
import io.spoor.storage.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Services and operations in Cassandra ({@code services}, {@code operations}), each row with the latest span start
 * seen ({@code last_seen}) so that the retention sweep can drop names whose spans are gone. Every Spoor instance
 * writes what it sees, but re-writes a name only when its spans have moved on by more than {@link #refreshNanos}
 * (a tenth of the retention, at most an hour): a busy service costs one small write an hour, not one per batch.
 * Names longer than {@link CatalogNames#MAX_CHARS} are kept cut ({@link CatalogNames#cap}).
 */
final class Catalog {
    private final CqlSession session;
    private final Statements statements;
    private final long refreshNanos;
    /** The {@code last_seen} this instance last wrote per name. */
    private final Map<String, Long> servicesWritten = new ConcurrentHashMap<>();
    private final Map<WriteEncoder.CatalogEntry, Long> operationsWritten = new ConcurrentHashMap<>();

    Catalog(CqlSession session, Statements statements, long retentionNanos) {
        this.session = session;
        this.statements = statements;
        this.refreshNanos = Math.min(retentionNanos / 10, 3_600_000_000_000L);
    }

    long refreshNanos() {
        return refreshNanos;
    }

    /** The statements that bring the catalog up to date with one write (usually none). */
    List<BoundStatement> updates(WriteEncoder.Encoded write, int ttlSeconds) {
        List<BoundStatement> out = new ArrayList<>(0);
        for (Map.Entry<String, Long> e : write.servicesLastSeen().entrySet()) {
            if (stale(servicesWritten.get(e.getKey()), e.getValue())) {
                out.add(statements.insertService.bind(CatalogNames.cap(e.getKey()), e.getValue(), ttlSeconds));
            }
        }
        for (Map.Entry<WriteEncoder.CatalogEntry, Long> e : write.operationsLastSeen().entrySet()) {
            WriteEncoder.CatalogEntry op = e.getKey();
            if (stale(operationsWritten.get(op), e.getValue())) {
                // names are keys here: Cassandra refuses a key over 65,535 bytes, which would fail the whole write
                out.add(statements.insertOperation.bind(CatalogNames.cap(op.service()), CatalogNames.cap(op.operation()),
                        (byte) op.kind().ordinal(), e.getValue(), ttlSeconds));
            }
        }
        return out;
    }

    /** Remembers what was acknowledged, so that it is not written again soon. */
    void written(WriteEncoder.Encoded write) {
        write.servicesLastSeen().forEach((k, v) -> servicesWritten.merge(k, v, Math::max));
        write.operationsLastSeen().forEach((k, v) -> operationsWritten.merge(k, v, Math::max));
    }

    private boolean stale(Long written, long seen) {
        return written == null || seen > written + refreshNanos;
    }

    List<String> services() {
        List<String> out = new ArrayList<>();
        for (Row row : session.execute(statements.selectServices.bind())) {
            out.add(row.getString(0));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    List<Operation> operations(String service) {
        List<Operation> out = new ArrayList<>();
        for (Row row : session.execute(statements.selectOperations.bind(service))) {
            out.add(new Operation(row.getString(0), SpanKind.values()[row.getByte(1)]));
        }
        out.sort(Comparator.comparing(Operation::name).thenComparing(Operation::kind));
        return out;
    }

    /** Deletes names whose latest span started before {@code cutoff}, and forgets them here. */
    void sweep(long cutoffNanos) {
        long cutoff = cutoffNanos - refreshNanos; // a name may have spans up to refreshNanos newer than last_seen
        for (Row s : session.execute(statements.selectServices.bind()).all()) {
            String service = s.getString(0);
            boolean serviceOld = s.getLong(1) < cutoff;
            for (Row o : session.execute(statements.selectOperations.bind(service)).all()) {
                if (o.getLong(2) < cutoff) {
                    session.execute(statements.deleteOperation.bind(service, o.getString(0), o.getByte(1)));
                }
            }
            if (serviceOld) {
                session.execute(statements.deleteService.bind(service));
            }
        }
        servicesWritten.clear();
        operationsWritten.clear();
    }
}
