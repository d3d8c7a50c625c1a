package io.spoor.storage.lucene;

import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.TraceQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block whose document Lucene refuses goes in unindexed, and is still read by trace id and found by searches. The
 * refusal is real: a catalog term over Lucene's 32,766-byte limit, as the engine wrote before names were capped.
 */
class BlockIndexerTest {
    private static final long T = 1_900_000_000_000_000_000L;

    @TempDir
    Path dir;

    private static Block block(List<Span> spans, List<String> catalogOverride) {
        Block b = new BatchCodec().encode(spans).batch().block();
        return catalogOverride == null ? b : new Block(b.bytes(), b.spanCount(), b.minStart(), b.maxStart(),
                b.minDuration(), b.maxDuration(), b.traceIds(), b.terms(), catalogOverride, 0);
    }

    @Test
    void storesABlockTheIndexRefusesUnindexedAndStillFindsItsSpans() throws Exception {
        TraceId refusedId = new TraceId(1, 1);
        TraceId normalId = new TraceId(2, 2);
        List<Span> refusedSpans = List.of(
                span(refusedId, 1, 0, "checkout", "pay", T, 30 * MS, "card.type", "visa"),
                span(refusedId, 2, 1, "payments", "charge", T + MS, 10 * MS, "amount", 42L));
        List<Span> normalSpans = List.of(span(normalId, 1, 0, "checkout", "pay", T + 5 * MS, 5 * MS,
                "card.type", "amex"));
        // 40,000 chars of three-byte UTF-8: one term of 120,000 bytes, which Lucene refuses
        Block refused = block(refusedSpans, List.of(Block.SEP + "✓".repeat(40_000) + Block.SEP + "0"));
        Block normal = block(normalSpans, null);

        BlockIndexer indexer = new BlockIndexer();
        try (MMapDirectory d = new MMapDirectory(dir);
             IndexWriter writer = new IndexWriter(d, new IndexWriterConfig())) {
            assertThat(indexer.add(writer, refused, 100)).isEqualTo(BlockIndexer.Outcome.UNINDEXED);
            assertThat(indexer.add(writer, normal, 200)).isEqualTo(BlockIndexer.Outcome.INDEXED);
            assertThat(BlockIndexer.broken(writer)).isFalse();
            writer.commit();

            try (DirectoryReader reader = DirectoryReader.open(d)) {
                TraceSearcher s = new TraceSearcher(new IndexSearcher(reader));
                assertThat(s.trace(refusedId)).hasValueSatisfying(t ->
                        assertThat(t.spans()).containsExactlyElementsOf(refusedSpans));
                assertThat(s.trace(normalId)).isPresent();
                // every criterion finds the unindexed block's spans, through verification
                assertThat(ids(s.findTraces(query("payments", "charge", "amount", "42"))))
                        .containsExactly(refusedId);
                assertThat(ids(s.findTraces(query("checkout", null, "card.type", "visa"))))
                        .containsExactly(refusedId);
                assertThat(ids(s.findTraces(query("checkout", "pay", null, null))))
                        .containsExactly(normalId, refusedId);
                assertThat(ids(s.findTraces(query(null, null, "card.type", "amex")))).containsExactly(normalId);
                assertThat(s.findTraces(query("payments", "refund", null, null))).isEmpty();
            }
        }
    }

    private static TraceQuery query(String service, String operation, String tagKey, String tagValue) {
        List<TraceQuery.Tag> tags = new ArrayList<>();
        if (tagKey != null) {
            tags.add(new TraceQuery.Tag(tagKey, tagValue));
        }
        return new TraceQuery(Optional.ofNullable(service), Optional.ofNullable(operation), tags, 0, Long.MAX_VALUE,
                io.spoor.storage.TimeWindow.ALL, 20);
    }

    private static List<TraceId> ids(List<TraceSummary> found) {
        return found.stream().map(TraceSummary::traceId).toList();
    }
}
