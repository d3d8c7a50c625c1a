package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.spanlog.codec.CorruptDataException;
import io.spoor.spanlog.codec.SpanCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a trace: one partition of {@code traces}, every fragment decoded, duplicate spans removed. */
final class TraceReads {
    private static final Logger log = LoggerFactory.getLogger(TraceReads.class);

    private final CqlSession session;
    private final Statements statements;

    TraceReads(CqlSession session, Statements statements) {
        this.session = session;
        this.statements = statements;
    }

    CompletionStage<Optional<Trace>> read(TraceId traceId) {
        ByteBuffer key = ByteBuffer.wrap(traceId.toBytes());
        return session.executeAsync(statements.selectTrace.bind(key))
                .thenCompose(rs -> collect(rs, new ArrayList<>(), traceId))
                .thenApply(spans -> spans.isEmpty() ? Optional.<Trace>empty()
                        : Optional.of(Trace.ofDeduplicated(traceId, spans)));
    }

    private static CompletionStage<List<Span>> collect(AsyncResultSet rs, List<Span> spans, TraceId traceId) {
        for (Row row : rs.currentPage()) {
            decodeInto(row.getByteBuffer(0), spans, traceId);
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, spans, traceId));
        }
        return CompletableFuture.completedFuture(spans);
    }

    private static void decodeInto(ByteBuffer data, List<Span> out, TraceId traceId) {
        if (data == null) {
            return;
        }
        try {
            if (data.hasArray()) {
                out.addAll(SpanCodec.decodeFragment(data.array(), data.arrayOffset() + data.position(),
                        data.remaining()));
            } else {
                byte[] copy = new byte[data.remaining()];
                data.duplicate().get(copy);
                out.addAll(SpanCodec.decodeFragment(copy));
            }
        } catch (CorruptDataException e) {
            // one damaged fragment must not hide the rest of the trace
            log.warn("skipping an undecodable fragment of trace {}: {}", traceId, e.getMessage());
        }
    }
}
