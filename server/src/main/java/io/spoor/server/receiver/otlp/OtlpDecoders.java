package io.spoor.server.receiver.otlp;

import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import io.spoor.server.receiver.DecodedSpans;
import io.spoor.server.receiver.MalformedBodyException;
import io.spoor.server.receiver.SpanDecoder;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** The OTLP trace decoders ({@code ExportTraceServiceRequest} as protobuf or OTLP JSON) as the receiver core uses them. */
final class OtlpDecoders {
    static final SpanDecoder PROTOBUF = new SpanDecoder() {
        @Override
        public DecodedSpans decode(byte[] array, int offset, int length) {
            try {
                return spans(offset == 0 && length == array.length ? OtlpTraceDecoder.decodeProtobuf(array)
                        : OtlpTraceDecoder.decodeProtobuf(ByteBuffer.wrap(array, offset, length)));
            } catch (OtlpDecodeException e) {
                throw new MalformedBodyException(e.getMessage(), e);
            }
        }

        @Override
        public int countSpans(byte[] array, int offset, int length) {
            return SpanCounter.countProtobuf(array, offset, length);
        }
    };

    static final SpanDecoder JSON = new SpanDecoder() {
        @Override
        public DecodedSpans decode(byte[] array, int offset, int length) {
            byte[] body = offset == 0 && length == array.length ? array
                    : Arrays.copyOfRange(array, offset, offset + length);
            try {
                return spans(OtlpTraceDecoder.decodeJson(body));
            } catch (OtlpDecodeException e) {
                throw new MalformedBodyException(e.getMessage(), e);
            }
        }

        @Override
        public int countSpans(byte[] array, int offset, int length) {
            return SpanCounter.countJson(array, offset, length);
        }
    };

    private OtlpDecoders() {
    }

    static SpanDecoder of(WireFormat format) {
        return format == WireFormat.JSON ? JSON : PROTOBUF;
    }

    private static DecodedSpans spans(DecodedTraces t) {
        return new DecodedSpans(t.spans(), t.rejectedSpans(), t.rejectionMessage());
    }
}
