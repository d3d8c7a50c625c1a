package io.spoor.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpTraceDecoder;

/**
 * Any bytes as an OTLP/protobuf trace export: decoded spans that satisfy {@link SpanInvariants}, or
 * {@link OtlpDecodeException} — never another exception, an error (stack or heap) or a hang. Seeds: exports of the
 * OpenTelemetry JS SDK and of Spoor's encoder, in {@code OtlpProtobufTraceFuzzTestInputs}.
 */
class OtlpProtobufTraceFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns(OtlpProtobufTraceFuzzTest.class);

    @AfterAll
    static void report() {
        RUNS.report();
    }

    @FuzzTest
    void decodesAnyBytesIntoValidSpansOrRefusesThem(byte[] body) {
        RUNS.count();
        DecodedTraces decoded;
        try {
            decoded = OtlpTraceDecoder.decodeProtobuf(body);
        } catch (OtlpDecodeException expected) {
            return;
        }
        assertThat(decoded.rejectedSpans()).isNotNegative();
        assertThat(decoded.rejectionMessage().isEmpty()).isEqualTo(decoded.rejectedSpans() == 0);
        SpanInvariants.check(decoded.spans());
    }
}
