package io.spoor.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.SpanWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {

    /** Records every batch it is given; completes each write when told to. */
    static final class RecordingWriter implements SpanWriter {
        final List<List<Span>> batches = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> writes = new CopyOnWriteArrayList<>();
        volatile boolean autoComplete = true;

        @Override
        public CompletableFuture<Void> write(List<Span> spans) {
            batches.add(List.copyOf(spans));
            CompletableFuture<Void> f = autoComplete ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            writes.add(f);
            return f;
        }
    }

    private static List<Span> spans(int n) {
        List<Span> out = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> out.add(Span.builder(new TraceId(1, i + 1), i + 1).name("op").build()));
        return out;
    }

    @Test
    void gathersSeveralExportsIntoOneBatchWithinTheTimeout() throws Exception {
        RecordingWriter writer = new RecordingWriter();
        try (BatchProcessor p = new BatchProcessor(new BatchSettings(1000, 0, Duration.ofMillis(300)), writer::write,
                new SimpleMeterRegistry())) {
            CompletableFuture<Void> a = p.consume(spans(10));
            CompletableFuture<Void> b = p.consume(spans(20));
            CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
        }
        assertThat(writer.batches).hasSize(1);
        assertThat(writer.batches.get(0)).hasSize(30);
    }

    @Test
    void sendsABatchAsSoonAsItReachesSendBatchSize() throws Exception {
        RecordingWriter writer = new RecordingWriter();
        try (BatchProcessor p = new BatchProcessor(new BatchSettings(10, 0, Duration.ofHours(1)), writer::write,
                new SimpleMeterRegistry())) {
            p.consume(spans(6));
            p.consume(spans(6)).get(5, TimeUnit.SECONDS); // would hang for an hour if size did not trigger
        }
        assertThat(writer.batches.get(0)).hasSize(12);
    }

    @Test
    void splitsAnExportLargerThanSendBatchMaxSize() throws Exception {
        RecordingWriter writer = new RecordingWriter();
        try (BatchProcessor p = new BatchProcessor(new BatchSettings(4, 5, Duration.ZERO), writer::write,
                new SimpleMeterRegistry())) {
            p.consume(spans(12)).get(5, TimeUnit.SECONDS);
        }
        assertThat(writer.batches).allSatisfy(b -> assertThat(b.size()).isLessThanOrEqualTo(5));
        assertThat(writer.batches.stream().mapToInt(List::size).sum()).isEqualTo(12);
    }

    @Test
    void completesAnExportOnlyWhenItsBatchIsStored() throws Exception {
        RecordingWriter writer = new RecordingWriter();
        writer.autoComplete = false;
        try (BatchProcessor p = new BatchProcessor(new BatchSettings(100, 0, Duration.ZERO), writer::write,
                new SimpleMeterRegistry())) {
            CompletableFuture<Void> done = p.consume(spans(3));
            while (writer.writes.isEmpty()) {
                Thread.onSpinWait();
            }
            assertThat(done).isNotDone();
            writer.writes.get(0).complete(null);
            done.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void failsTheExportWhenStorageFails() {
        SpanWriter failing = spans -> CompletableFuture.failedFuture(new java.io.IOException("disk full"));
        try (BatchProcessor p = new BatchProcessor(new BatchSettings(100, 0, Duration.ZERO), failing::write,
                new SimpleMeterRegistry())) {
            CompletableFuture<Void> done = p.consume(spans(3));
            assertThat(done).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withMessageContaining("disk full");
        }
    }

    @Test
    void closeFlushesWhatWasQueued() {
        RecordingWriter writer = new RecordingWriter();
        BatchProcessor p = new BatchProcessor(new BatchSettings(1000, 0, Duration.ofSeconds(30)), writer::write,
                new SimpleMeterRegistry());
        CompletableFuture<Void> done = p.consume(spans(5));
        p.close();
        assertThat(done).isCompleted();
        assertThat(writer.batches.stream().mapToInt(List::size).sum()).isEqualTo(5);
    }
}
