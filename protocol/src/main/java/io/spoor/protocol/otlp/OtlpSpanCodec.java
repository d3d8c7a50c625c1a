package io.spoor.protocol.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;

/**
 * One span as an OTLP protobuf {@code Span} message, without its resource and scope (which are shared by
 * reference among many spans). A compact form for spans held in memory for a while, such as the tail
 * sampler's buffer: the bytes are a fraction of the decoded object graph.
 */
public final class OtlpSpanCodec {
    private OtlpSpanCodec() {
    }

    public static byte[] encode(Span span) {
        return ModelToProto.span(span).toByteArray();
    }

    /** Decodes bytes made by {@link #encode}; the span gets {@code resource} and {@code scope} back. */
    public static Span decode(byte[] bytes, Resource resource, InstrumentationScope scope) {
        try {
            return ProtoToModel.span(io.opentelemetry.proto.trace.v1.Span.parseFrom(bytes), resource, scope);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not an encoded span: " + e.getMessage(), e);
        }
    }
}
