package io.spoor.server.receiver.zipkin;

import io.spoor.protocol.zipkin.ZipkinDecodeException;
import io.spoor.protocol.zipkin.ZipkinDecoder;
import io.spoor.server.receiver.DecodedSpans;
import io.spoor.server.receiver.MalformedBodyException;
import io.spoor.server.receiver.SpanDecoder;
import java.util.Arrays;

/** Zipkin v2 JSON and proto3 ({@code ListOfSpans}) as the receiver core uses them. */
final class ZipkinDecoders {
    /** Parses in place: the body may be a slice of a pooled network buffer's backing array. */
    static final SpanDecoder JSON = (array, offset, length) -> {
        try {
            return DecodedSpans.of(ZipkinDecoder.decodeJson(array, offset, length));
        } catch (ZipkinDecodeException e) {
            throw new MalformedBodyException(e.getMessage(), e);
        }
    };

    static final SpanDecoder PROTO3 = (array, offset, length) -> {
        byte[] body = offset == 0 && length == array.length ? array
                : Arrays.copyOfRange(array, offset, offset + length);
        try {
            return DecodedSpans.of(ZipkinDecoder.decodeProto3(body));
        } catch (ZipkinDecodeException e) {
            throw new MalformedBodyException(e.getMessage(), e);
        }
    };

    private ZipkinDecoders() {
    }
}
