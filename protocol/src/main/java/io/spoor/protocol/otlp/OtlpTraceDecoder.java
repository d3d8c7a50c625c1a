package io.spoor.protocol.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.ByteBuffer;

/**
 * Decodes OTLP trace exports (protobuf or JSON) into model spans. Spans with unusable ids are rejected one by
 * one (partial success); only input that is not the message at all throws {@link OtlpDecodeException}.
 */
public final class OtlpTraceDecoder {
    private OtlpTraceDecoder() {
    }

    /** Decodes {@code ExportTraceServiceRequest} bytes; an empty body is an empty export. */
    public static DecodedTraces decodeProtobuf(byte[] body) {
        if (body.length == 0) {
            return DecodedTraces.empty();
        }
        return fromRequest(ProtobufInput.parse(ExportTraceServiceRequest.parser(), body));
    }

    /** As {@link #decodeProtobuf(byte[])}, reading the buffer's remaining bytes without moving its position. */
    public static DecodedTraces decodeProtobuf(ByteBuffer body) {
        if (!body.hasRemaining()) {
            return DecodedTraces.empty();
        }
        return fromRequest(ProtobufInput.parse(ExportTraceServiceRequest.parser(), body));
    }

    /** For the gRPC path, where the transport has already parsed the message. */
    public static DecodedTraces fromRequest(ExportTraceServiceRequest request) {
        return ProtoToModel.spans(request);
    }

    /** Decodes an OTLP JSON {@code ExportTraceServiceRequest}; an empty body is an empty export. */
    public static DecodedTraces decodeJson(byte[] body) {
        return JsonTraceReader.decode(body);
    }
}
