package io.spoor.protocol.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import io.spoor.model.Span;
import io.spoor.protocol.zipkin.ZipkinDecodeException;
import io.spoor.protocol.zipkin.ZipkinDecoder;
import java.util.List;

/**
 * Any bytes as a Zipkin v2 JSON report: decoded spans that satisfy {@link SpanInvariants} (and Zipkin's times), or
 * {@link ZipkinDecodeException}. Seeds: reports written by Zipkin's own library (zipkin2's {@code SpanBytesEncoder}).
 */
class ZipkinJsonFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns(ZipkinJsonFuzzTest.class);

    @AfterAll
    static void report() {
        RUNS.report();
    }

    @DictionaryEntries({"\"traceId\"", "\"id\"", "\"parentId\"", "\"name\"", "\"kind\"", "\"timestamp\"",
            "\"duration\"", "\"localEndpoint\"", "\"remoteEndpoint\"", "\"serviceName\"", "\"ipv4\"", "\"ipv6\"",
            "\"port\"", "\"annotations\"", "\"value\"", "\"tags\"", "\"debug\"", "\"shared\"", "\"CLIENT\"",
            "\"SERVER\"", "\"error\"", "\"otel.status_code\"", "\"otel.dropped_attributes_count\"",
            "\"86154a4ba6e91385\"", "9223372036854775807", "1.5e300"})
    @FuzzTest
    void decodesAnyBytesIntoValidSpansOrRefusesThem(byte[] body) {
        RUNS.count();
        List<Span> spans;
        try {
            spans = ZipkinDecoder.decodeJson(body);
        } catch (ZipkinDecodeException expected) {
            return;
        }
        SpanInvariants.checkZipkin(spans);
    }
}
