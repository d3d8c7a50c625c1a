package io.spoor.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpSignalDecoder;
import java.util.Arrays;

/**
 * Any bytes as an OTLP metrics or logs export, protobuf or JSON (the first byte chooses which of the four counters
 * reads the rest): a count of zero or more, or {@link OtlpDecodeException}. One target for the four, because Jazzer
 * fuzzes one test per JVM and the four share their JSON and protobuf readers.
 */
class OtlpSignalFuzzTest {
    private static final FuzzRuns RUNS = new FuzzRuns(OtlpSignalFuzzTest.class);

    @AfterAll
    static void report() {
        RUNS.report();
    }

    @FuzzTest
    void countsTheItemsOfAnyExportOrRefusesIt(byte[] input) {
        RUNS.count();
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        int count;
        try {
            count = switch (input[0] & 3) {
                case 0 -> OtlpSignalDecoder.countMetricDataPointsProtobuf(body);
                case 1 -> OtlpSignalDecoder.countMetricDataPointsJson(body);
                case 2 -> OtlpSignalDecoder.countLogRecordsProtobuf(body);
                default -> OtlpSignalDecoder.countLogRecordsJson(body);
            };
        } catch (OtlpDecodeException expected) {
            return;
        }
        assertThat(count).isNotNegative();
    }
}
