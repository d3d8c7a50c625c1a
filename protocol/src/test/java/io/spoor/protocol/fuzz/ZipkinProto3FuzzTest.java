package io.spoor.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import io.spoor.model.Span;
import io.spoor.protocol.zipkin.ZipkinDecodeException;
import io.spoor.protocol.zipkin.ZipkinDecoder;
import java.util.List;

/**
 * Any bytes as a Zipkin proto3 report ({@code zipkin.proto3.ListOfSpans}): decoded spans that satisfy
 * {@link SpanInvariants} (and Zipkin's times), or {@link ZipkinDecodeException}. Seeds: reports written by Zipkin's
 * own library.
 */
class ZipkinProto3FuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns(ZipkinProto3FuzzTest.class);

    @AfterAll
    static void report() {
        RUNS.report();
    }

    @FuzzTest
    void decodesAnyBytesIntoValidSpansOrRefusesThem(byte[] body) {
        RUNS.count();
        List<Span> spans;
        try {
            spans = ZipkinDecoder.decodeProto3(body);
        } catch (ZipkinDecodeException expected) {
            return;
        }
        SpanInvariants.checkZipkin(spans);
    }
}
