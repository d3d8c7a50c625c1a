package io.spoor.server.receiver;

/**
 * One wire format's span decoder (OTLP protobuf or JSON, Zipkin JSON or proto3), as the receiver core uses it: the
 * core decides when to decode and what to do with the outcome; the decoder only turns bytes into spans.
 */
public interface SpanDecoder {

    /**
     * Decodes {@code array[offset, offset + length)}, which is valid only during the call. Spans that cannot be
     * kept are counted in the result (partial success); input that is not this format at all throws
     * {@link MalformedBodyException} with a message for the client.
     */
    DecodedSpans decode(byte[] array, int offset, int length);

    /**
     * How many spans the body holds, without decoding them, for the refusal metrics when admission says no after
     * the body was read; best effort. Zero when the format has no cheap way to count.
     */
    default int countSpans(byte[] array, int offset, int length) {
        return 0;
    }
}
