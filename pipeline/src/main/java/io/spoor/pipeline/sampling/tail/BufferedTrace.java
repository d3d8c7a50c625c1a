package io.spoor.pipeline.sampling.tail;

import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.protocol.otlp.OtlpSpanCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The spans of one undecided trace, kept compact: each span as its OTLP protobuf bytes (a fraction of the decoded
 * object graph, whose attribute keys and values are separate strings per span) plus references to its resource and
 * scope, which are shared with the other spans of the same export. Decoded again only when the decision is due.
 */
final class BufferedTrace {
    final TraceId id;
    final long firstArrivalNanos;
    private byte[][] spans = new byte[4][];
    private Resource[] resources = new Resource[4];
    private InstrumentationScope[] scopes = new InstrumentationScope[4];
    private int count;
    private long bytes;

    BufferedTrace(TraceId id, long firstArrivalNanos) {
        this.id = id;
        this.firstArrivalNanos = firstArrivalNanos;
    }

    /** Adds a span; returns its encoded size. */
    int add(Span span) {
        if (count == spans.length) {
            int n = count * 2;
            spans = Arrays.copyOf(spans, n);
            resources = Arrays.copyOf(resources, n);
            scopes = Arrays.copyOf(scopes, n);
        }
        byte[] encoded = OtlpSpanCodec.encode(span);
        spans[count] = encoded;
        resources[count] = span.resource();
        scopes[count] = span.scope();
        count++;
        bytes += encoded.length;
        return encoded.length;
    }

    int spanCount() {
        return count;
    }

    long encodedBytes() {
        return bytes;
    }

    List<Span> decode() {
        List<Span> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(OtlpSpanCodec.decode(spans[i], resources[i], scopes[i]));
        }
        return out;
    }
}
