package io.spoor.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpTraceDecoder;

/**
 * Any bytes as an OTLP/JSON trace export: decoded spans that satisfy {@link SpanInvariants}, or
 * {@link OtlpDecodeException}. Seeds: exports of the OpenTelemetry JS and Java SDKs; the dictionary holds the field
 * names, so that mutations build OTLP shapes rather than random text.
 */
class OtlpJsonTraceFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns(OtlpJsonTraceFuzzTest.class);

    @AfterAll
    static void report() {
        RUNS.report();
    }

    @DictionaryEntries({"\"resourceSpans\"", "\"scopeSpans\"", "\"spans\"", "\"resource\"", "\"scope\"",
            "\"attributes\"", "\"key\"", "\"value\"", "\"stringValue\"", "\"intValue\"", "\"doubleValue\"",
            "\"boolValue\"", "\"bytesValue\"", "\"arrayValue\"", "\"kvlistValue\"", "\"values\"", "\"traceId\"",
            "\"spanId\"", "\"parentSpanId\"", "\"name\"", "\"kind\"", "\"startTimeUnixNano\"", "\"endTimeUnixNano\"",
            "\"events\"", "\"links\"", "\"status\"", "\"code\"", "\"message\"", "\"timeUnixNano\"", "\"traceState\"",
            "\"flags\"", "\"droppedAttributesCount\"", "\"schemaUrl\"", "\"5b8efff798038103d269b633813fc60c\"",
            "\"eee19b7ec3c1b174\"", "\"18446744073709551615\"", "null", "true", "1e308"})
    @FuzzTest
    void decodesAnyBytesIntoValidSpansOrRefusesThem(byte[] body) {
        RUNS.count();
        DecodedTraces decoded;
        try {
            decoded = OtlpTraceDecoder.decodeJson(body);
        } catch (OtlpDecodeException expected) {
            return;
        }
        assertThat(decoded.rejectedSpans()).isNotNegative();
        assertThat(decoded.rejectionMessage().isEmpty()).isEqualTo(decoded.rejectedSpans() == 0);
        SpanInvariants.check(decoded.spans());
    }
}
