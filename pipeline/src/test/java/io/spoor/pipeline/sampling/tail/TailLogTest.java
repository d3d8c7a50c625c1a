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

    @Test
    void aCorruptRecordInTheMiddleCostsOnlyItsOwnParts() throws java.io.IOException {
        TraceId a = new TraceId(2, 1);
        TraceId b = new TraceId(2, 2);
        TraceId c = new TraceId(2, 3);
        TailLog log = open();
        log.replay();
        log.start();
        long[] ends = new long[3];
        TraceId[] ids = {a, b, c};
        for (int i = 0; i < 3; i++) {
            ends[i] = log.append(log.newRecord(), TailLogCodec.encode(spans(ids[i]), 1_000 + i).payload()).join();
        }
        log.closeAsIfCrashed();
        Path segment;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            segment = files.sorted().findFirst().orElseThrow();
        }
        byte[] content = java.nio.file.Files.readAllBytes(segment);
        content[(int) ends[1] - 7] ^= 0x01; // inside b's record
        java.nio.file.Files.write(segment, content);

        TailLog reopened = open();
        TailLog.Replayed replayed = reopened.replay();

        assertThat(replayed.traces()).extracting(java.util.Map.Entry::getKey).containsExactly(a, c);
        assertThat(reopened.skippedBytes()).isEqualTo(ends[1] - ends[0]);
    }

    private static void appendRaw(TailLog log, byte[] payload) {
        log.appendRawForTest(payload).join();
    }
}
