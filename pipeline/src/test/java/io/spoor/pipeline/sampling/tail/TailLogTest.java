package io.spoor.pipeline.sampling.tail;

import static io.spoor.pipeline.sampling.tail.TraceFixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's records read back: which parts a replay hands to the buffer. */
class TailLogTest {
    @TempDir
    Path dir;

    private TailLog open() {
        return new TailLog(new TailLogSettings(dir, FsyncPolicy.NONE, Duration.ofSeconds(1), 1 << 20));
    }

    private static List<Span> spans(TraceId... ids) {
        List<Span> out = new ArrayList<>();
        for (TraceId id : ids) {
            out.addAll(trace(id, "shop", "GET /", 10, 3, false));
        }
        return out;
    }

    @Test
    void aDecisionCoversItsTracesPartsEvenWhenItReachedTheLogBeforeThem() {
        TraceId a = new TraceId(1, 1);
        TraceId b = new TraceId(1, 2);
        TailLog log = open();
        log.replay();
        log.start();
        TailLog.Record first = log.newRecord();
        log.append(first, TailLogCodec.encode(spans(a, b), 1_000).payload()).join();
        TailLog.Record second = log.newRecord();
        // the decision of a (covering both records) is appended by another thread before the second record
        appendRaw(log, TailLogCodec.encodeDecisions(List.of(new TailLogCodec.Decided(a, true, second.seq))));
        log.append(second, TailLogCodec.encode(spans(a), 2_000).payload()).join();
        log.closeAsIfCrashed();

        TailLog.Replayed replayed = open().replay();
        assertThat(replayed.decisions()).extracting(TailLogCodec.Decided::id).containsExactly(a);
        assertThat(replayed.traces()).extracting(java.util.Map.Entry::getKey).containsExactly(b);
        assertThat(replayed.traces().getFirst().getValue()).singleElement()
                .satisfies(p -> assertThat(p.arrivalEpochMillis()).isEqualTo(1_000));
    }

    private static void appendRaw(TailLog log, byte[] payload) {
        log.appendRawForTest(payload).join();
    }
}
