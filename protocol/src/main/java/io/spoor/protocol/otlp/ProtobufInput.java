package io.spoor.protocol.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;

/** Parses protobuf bodies with generated classes and turns parse failures into precise messages. */
final class ProtobufInput {
    private ProtobufInput() {
    }

    static <T> T parse(Parser<T> parser, byte[] body) {
        // Wrapping marks the body immutable, which lets aliasing make ids and bytes values views of the body
        // instead of copies; nothing keeps those views beyond the decode call, and the model copies what it keeps.
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(body).newCodedInput();
        in.enableAliasing(true);
        return parse(parser, in, body.length);
    }

    static <T> T parse(Parser<T> parser, ByteBuffer body) {
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(body.duplicate()).newCodedInput();
        in.enableAliasing(true);
        return parse(parser, in, body.remaining());
    }

    private static <T> T parse(Parser<T> parser, CodedInputStream in, int length) {
        try {
            T message = parser.parseFrom(in);
            in.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(describe(e, in.getTotalBytesRead(), length), e);
        }
    }

    private static String describe(InvalidProtocolBufferException e, int position, int length) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("ended unexpectedly") || m.contains("truncated")) {
            // The position is where a length-delimited field (often an outer message) claims bytes beyond the end.
            return "invalid protobuf: truncated message at byte " + position + " (body is " + length + " bytes)";
        }
        if (m.contains("invalid wire type")) {
            return "invalid protobuf: invalid wire type at byte " + position;
        }
        if (m.contains("invalid tag")) {
            return "invalid protobuf: invalid tag (zero) at byte " + position;
        }
        if (m.contains("levels of nesting") || m.contains("recursion limit")) {
            return "invalid protobuf: message nested too deeply at byte " + position;
        }
        return "invalid protobuf at byte " + position + ": " + m;
    }
}
