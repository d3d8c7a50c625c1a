package io.spoor.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.TraceId;
import io.spoor.query.InvalidQueryException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private static final long NANOS = 1_795_540_999_262_000_000L;
    /** "123" in Arabic-Indic digits, which Character.digit and Long.parseLong accept. */
    private static final String ARABIC_INDIC_123 = "\u0661\u0662\u0663";

    @Test
    void readsTheEpochUnitFromTheNumberOfDigits() {
        assertThat(Parameters.epochNanos("start", "1795540999")).isEqualTo(1_795_540_999_000_000_000L);
        assertThat(Parameters.epochNanos("start", "1795540999262")).isEqualTo(NANOS);
        assertThat(Parameters.epochNanos("start", "1795540999262000")).isEqualTo(NANOS);
        assertThat(Parameters.epochNanos("start", "1795540999262000000")).isEqualTo(NANOS);
        assertThat(Parameters.epochNanos("start", "0001795540999")).isEqualTo(1_795_540_999_000_000_000L);
    }

    @Test
    void readsRfc3339WithAnyOffset() {
        assertThat(Parameters.epochNanos("end", "1970-01-01T00:00:01.5Z")).isEqualTo(1_500_000_000L);
        assertThat(Parameters.epochNanos("end", "1970-01-01T01:00:01+01:00")).isEqualTo(1_000_000_000L);
        assertThat(Parameters.rfc3339Nanos("query.start_time_min", "2026-11-24T10:15:30.5Z"))
                .isEqualTo(1_795_515_330_500_000_000L);
    }

    @Test
    void rejectsWhatIsNotATimeNamingTheParameter() {
        for (String bad : new String[] {"", "yesterday", "2026-13-01T00:00:00Z", "99999999999999999999", "-1",
                ARABIC_INDIC_123, "1969-12-31T23:59:59Z"}) {
            assertThatThrownBy(() -> Parameters.epochNanos("start", bad))
                    .isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("start");
        }
        assertThatThrownBy(() -> Parameters.rfc3339Nanos("query.start_time_min", "1969-12-31T23:59:59Z"))
                .hasMessageContaining("1970");
    }

    @Test
    void parsesGoAndJaegerStyleDurations() {
        assertThat(Parameters.durationNanos("d", "150ms")).isEqualTo(150_000_000L);
        assertThat(Parameters.durationNanos("d", "1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Parameters.durationNanos("d", "2m")).isEqualTo(120_000_000_000L);
        assertThat(Parameters.durationNanos("d", "500us")).isEqualTo(500_000L);
        assertThat(Parameters.durationNanos("d", "500µs")).isEqualTo(500_000L);
        assertThat(Parameters.durationNanos("d", "1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(Parameters.durationNanos("d", "7d")).isEqualTo(7 * 86_400_000_000_000L);
        assertThat(Parameters.durationNanos("d", "12345")).isEqualTo(12345L);
    }

    @Test
    void rejectsMalformedDurationsNamingTheParameter() {
        for (String bad : new String[] {"", "ms", "1.5", "10 parsecs", "1x", "-5s", "1..2s", ARABIC_INDIC_123,
                ARABIC_INDIC_123 + "ms", "99999999999999999999", "9".repeat(400) + "h"}) {
            assertThatThrownBy(() -> Parameters.durationNanos("minDuration", bad))
                    .isInstanceOf(InvalidQueryException.class)
                    .hasMessageStartingWith("minDuration")
                    .satisfies(e -> assertThat(((InvalidQueryException) e).parameter()).isEqualTo("minDuration"));
        }
    }

    @Test
    void wholeNumbersAreAsciiAndInRange() {
        assertThat(Parameters.wholeNumber("limit", " 20 ", 1, 100)).isEqualTo(20);
        assertThat(Parameters.wholeNumber("limit", "+7", 1, 100)).isEqualTo(7);
        for (String bad : new String[] {"", "-", "ten", "2147483648", "99999999999999999999999", "1e3", "0x10",
                ARABIC_INDIC_123, "0", "101", "-1"}) {
            assertThatThrownBy(() -> Parameters.wholeNumber("limit", bad, 1, 100))
                    .isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("limit")
                    .hasMessageContaining("between 1 and 100");
        }
        assertThatThrownBy(() -> Parameters.positiveMillisAsNanos("lookback", "99999999999999999"))
                .hasMessageStartingWith("lookback");
    }

    @Test
    void oneTraceIdParserForEveryApi() {
        TraceId id = Parameters.traceId("traceId", "A6cfcfeea857f611faa125e8c3bf0b22", false);
        assertThat(id.toHex()).isEqualTo("a6cfcfeea857f611faa125e8c3bf0b22");
        assertThat(Parameters.traceId("traceId", "00000000000000ff", false)).isEqualTo(new TraceId(0, 255));
        // Zipkin pads shorter ids; a 64-bit id is the 128-bit id with a zero high half
        assertThat(Parameters.traceId("traceId", "ff", true)).isEqualTo(new TraceId(0, 255));
        assertThat(Parameters.traceId("traceId", "1" + "0".repeat(16), true)).isEqualTo(new TraceId(1, 0));
        for (String bad : new String[] {"", "xyz", "ff", "g".repeat(32), "1".repeat(33), "0".repeat(32),
                "\u0661".repeat(32), "\uff11".repeat(16), " " + "1".repeat(15)}) {
            assertThatThrownBy(() -> Parameters.traceId("traceId", bad, false))
                    .isInstanceOf(InvalidQueryException.class).hasMessageStartingWith("traceId");
        }
        assertThatThrownBy(() -> Parameters.traceId("traceId", "0".repeat(32), false)).hasMessageContaining("all-zero");
        assertThatThrownBy(() -> Parameters.traceId("traceIds", "\u0661".repeat(16), true))
                .hasMessageStartingWith("traceIds '");
    }

    @Test
    void readsBooleansKeyValuesAndJsonMaps() {
        assertThat(Parameters.bool("raw", "TRUE")).isTrue();
        assertThat(Parameters.bool("raw", "0")).isFalse();
        assertThatThrownBy(() -> Parameters.bool("raw", "maybe")).hasMessageStartingWith("raw");
        assertThat(Parameters.keyValue("tag", "http.url=/a?b=c", '=').value()).isEqualTo("/a?b=c");
        assertThatThrownBy(() -> Parameters.keyValue("tag", "novalue", '='))
                .hasMessage("tag 'novalue' must be key=value");
        assertThat(Parameters.jsonStringMap("tags", "{\"a\":\"b\",\"n\":3}")).isEqualTo(Map.of("a", "b", "n", "3"));
        for (String bad : new String[] {"{not json", "[1]", "{\"a\":{}}", "{\"a\":\"b\"} x", "", "{\"a\":"}) {
            assertThatThrownBy(() -> Parameters.jsonStringMap("tags", bad))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("'tags'");
        }
    }
}
