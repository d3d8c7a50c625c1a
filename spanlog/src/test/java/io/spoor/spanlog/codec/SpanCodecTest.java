package io.spoor.spanlog.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.contract.TestSpans;
import io.spoor.model.Attribute;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanCodecTest {
    private final SpanCodec codec = new SpanCodec();
    private final TraceId id = new TraceId(0x0123456789ABCDEFL, -2L);

    @Test
    void roundTripsEveryFieldOfEverySpan() {
        Span full = TestSpans.everyField(id, -5L, 77L, 1_700_000_000_123_456_789L);
        Span root = TestSpans.everyField(id, 1L, 0L, 1_700_000_000_000_000_000L);
        Span plain = TestSpans.span(id, 9, 1, "svc", "", 5, -3); // end before start, empty name
        Span negative = TestSpans.span(id, Long.MIN_VALUE, Long.MAX_VALUE, "svc", "n", Long.MIN_VALUE / 2, 10);
        List<Span> spans = List.of(full, root, plain, negative);

        List<Span> decoded = SpanCodec.decodeFragment(codec.encodeFragment(id, spans));

        assertThat(decoded).containsExactlyElementsOf(spans);
        assertThat(decoded.get(0).resource()).isSameAs(decoded.get(1).resource()); // written once, shared again
    }

    @Test
    void writesEachDistinctResourceOnce() {
        Span a = TestSpans.span(id, 1, 0, "svc", "op", 1000, 10);
        byte[] one = codec.encodeFragment(id, List.of(a));
        byte[] two = codec.encodeFragment(id, List.of(a, a.toBuilder().build()));
        // the second span costs far less than the first: no resource, no scope repeated
        assertThat(two.length - one.length).isLessThan(one.length / 2);
    }

    @Test
    void readsTheTraceIdWithoutDecodingSpans() {
        byte[] bytes = codec.encodeFragment(id, List.of(TestSpans.span(id, 1, 0, "svc", "op", 1000, 10)));
        assertThat(SpanCodec.traceIdOf(bytes, 0, bytes.length)).isEqualTo(id);
    }

    @Test
    void rejectsTruncatedAndForeignBytes() {
        byte[] bytes = codec.encodeFragment(id, List.of(TestSpans.everyField(id, 1, 0, 1000)));
        assertThatThrownBy(() -> SpanCodec.decodeFragment(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(CorruptDataException.class);
        byte[] foreign = bytes.clone();
        foreign[0] = 42;
        assertThatThrownBy(() -> SpanCodec.decodeFragment(foreign)).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void readsFragmentsWrittenByVersion1() throws IOException {
        byte[] v1;
        try (InputStream in = getClass().getResourceAsStream("/codec/fragment-v1.bin")) {
            v1 = in.readAllBytes();
        }
        assertThat(v1[0]).isEqualTo((byte) SpanCodec.VERSION_1);

        assertThat(SpanCodec.traceIdOf(v1, 0, v1.length)).isEqualTo(id);
        assertThat(SpanCodec.decodeFragment(v1)).containsExactlyElementsOf(GoldenSpans.spans(id));
    }

    @Test
    void writesVersion2AndRoundTripsTheVersion1Spans() {
        List<Span> spans = GoldenSpans.spans(id);
        byte[] bytes = codec.encodeFragment(id, spans);
        assertThat(bytes[0]).isEqualTo((byte) SpanCodec.VERSION_2);
        assertThat(SpanCodec.decodeFragment(bytes)).containsExactlyElementsOf(spans);
    }

    @Test
    void readsFragmentsWrittenByVersion2AndStillWritesThemByteForByte() throws IOException {
        byte[] v2;
        try (InputStream in = getClass().getResourceAsStream("/codec/fragment-v2.bin")) {
            v2 = in.readAllBytes(); // written by the encoder of commit e41db9b, before version 3 existed
        }
        assertThat(v2[0]).isEqualTo((byte) SpanCodec.VERSION_2);
        assertThat(SpanCodec.decodeFragment(v2)).containsExactlyElementsOf(GoldenSpans.spans(id));
        // without dropped resource or scope attributes nothing changed: older Spoors still read what this one writes
        assertThat(codec.encodeFragment(id, GoldenSpans.spans(id))).isEqualTo(v2);
    }

    @Test
    void writesVersion3OnlyWhenAResourceOrScopeDroppedAttributes() {
        Span plain = TestSpans.everyField(id, 1L, 0L, 1_700_000_000_000_000_000L);
        Resource r = plain.resource();
        InstrumentationScope sc = plain.scope();
        Span resourceDropped = plain.toBuilder().resource(new Resource(r.attributes(), r.schemaUrl(), 7)).build();
        Span scopeDropped = TestSpans.everyField(id, 2L, 1L, 1_700_000_000_000_000_001L).toBuilder()
                .scope(new InstrumentationScope(sc.name(), sc.version(), sc.attributes(), -1)).build(); // uint32 max
        List<Span> spans = List.of(resourceDropped, scopeDropped, plain);

        byte[] bytes = codec.encodeFragment(id, spans);

        assertThat(bytes[0]).isEqualTo((byte) SpanCodec.VERSION);
        List<Span> decoded = SpanCodec.decodeFragment(bytes);
        assertThat(decoded).containsExactlyElementsOf(spans);
        assertThat(decoded.get(0).resource().droppedAttributesCount()).isEqualTo(7);
        assertThat(decoded.get(1).scope().droppedAttributesCount()).isEqualTo(-1);
        assertThat(decoded.get(2).resource().droppedAttributesCount()).isZero();
        assertThat(SpanCodec.traceIdOf(bytes, 0, bytes.length)).isEqualTo(id);
    }

    @Test
    void writesEachDistinctAttributeKeyOncePerFragment() {
        List<Span> spans = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            spans.add(TestSpans.span(id, i, 0, "svc", "op", 1000L * i, 10, "http.request.method", "GET",
                    "http.response.status_code", 200L, "server.address", "inventory-service"));
        }
        byte[] v2 = codec.encodeFragment(id, spans);
        int keyBytes = "http.request.method".length() + "http.response.status_code".length()
                + "server.address".length();
        List<Span> more = new ArrayList<>(spans);
        more.add(TestSpans.span(id, 21, 0, "svc", "op", 21_000L, 10, "http.request.method", "GET",
                "http.response.status_code", 200L, "server.address", "inventory-service"));
        // one more span with the same keys costs less than its keys' bytes would
        assertThat(codec.encodeFragment(id, more).length - v2.length).isLessThan(keyBytes);
        assertThat(new String(v2, java.nio.charset.StandardCharsets.ISO_8859_1).split("http.request.method", -1))
                .hasSize(2);
        List<Span> decoded = SpanCodec.decodeFragment(v2);
        assertThat(decoded).containsExactlyElementsOf(spans);
        // decoded spans share one instance per key
        assertThat(decoded.get(0).attributes().asList().get(0).key())
                .isSameAs(decoded.get(19).attributes().asList().get(0).key());
    }

    @Test
    void keysOfResourcesScopesEventsLinksAndNestedMapsShareTheTable() {
        Attributes nested = Attributes.of("k", "inner", "deeper", new io.spoor.model.AttributeValue.MapValue(
                Attributes.of("k", 1L)));
        Span s = TestSpans.everyField(id, 1, 0, 5000).toBuilder()
                .attributes(new Attributes(List.of(new Attribute("k", io.spoor.model.AttributeValue.of("outer")),
                        new Attribute("m", new io.spoor.model.AttributeValue.MapValue(nested)))))
                .build();
        assertThat(SpanCodec.decodeFragment(codec.encodeFragment(id, List.of(s)))).containsExactly(s);
    }

    @Test
    void manyDistinctKeysGrowTheTable() {
        Object[] kv = new Object[2 * 1000];
        for (int i = 0; i < 1000; i++) {
            kv[2 * i] = "key.number." + i;
            kv[2 * i + 1] = (long) i;
        }
        Span s = TestSpans.span(id, 1, 0, "svc", "op", 1000, 10, kv);
        // the encoder is reused: a large fragment, then a small one must not see the large one's keys
        assertThat(SpanCodec.decodeFragment(codec.encodeFragment(id, List.of(s)))).containsExactly(s);
        Span small = TestSpans.span(id, 2, 0, "svc", "op", 1000, 10, "key.number.999", "x");
        byte[] bytes = codec.encodeFragment(id, List.of(small));
        assertThat(SpanCodec.decodeFragment(bytes)).containsExactly(small);
        assertThat(bytes.length).isLessThan(200);
    }

    @Test
    void refusesANewerVersionWithAMessage() {
        byte[] bytes = codec.encodeFragment(id, List.of(TestSpans.span(id, 1, 0, "svc", "op", 1000, 10)));
        bytes[0] = (byte) (SpanCodec.VERSION + 1);
        assertThatThrownBy(() -> SpanCodec.decodeFragment(bytes)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("version " + (SpanCodec.VERSION + 1))
                .hasMessageContaining("newer Spoor");
    }

    @Test
    void rejectsAKeyIndexOrKeyTableOffsetOutOfRange() {
        byte[] bytes = codec.encodeFragment(id, List.of(TestSpans.span(id, 1, 0, "svc", "op", 1000, 10)));
        byte[] badOffset = bytes.clone();
        badOffset[SpanCodec.TRACE_ID_END] = 0x7f;
        assertThatThrownBy(() -> SpanCodec.decodeFragment(badOffset)).isInstanceOf(CorruptDataException.class);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> SpanCodec.decodeFragment(cut)).isInstanceOf(CorruptDataException.class);
    }
}
