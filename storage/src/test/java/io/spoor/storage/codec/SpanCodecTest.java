package io.spoor.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.contract.TestSpans;
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
}
