package io.spoor.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.common.QueryParams;
import io.spoor.query.InvalidQueryException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Jazzer fuzzes the parsers behind every query API's parameters: whatever the text, each answers a typed value or
 * the kit's 400-style {@link InvalidQueryException} naming the parameter, and nothing else (any other exception,
 * which the APIs would answer as a 500, is a finding). An input is one selector byte and the text as UTF-8 (so
 * that the seeds in {@code QueryParametersFuzzTestInputs/} are readable files); the last parser takes the text as
 * a whole query string and reads every parameter of every API from it through {@link Params}.
 *
 * <p>The build fuzzes it for a bounded number of inputs (below; the server POM's {@code fuzz-query-parameters}
 * execution, about 15 s) after replaying the seeds. A long run of a million inputs:
 * {@code JAZZER_MAX_EXECUTIONS=1000000 JAZZER_MAX_DURATION=30m mvn -B -pl server -am test -Dtest=NoSuchTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (the result is written down in docs/reliability.md).
 */
class QueryParametersFuzzTest {
    private static final String NAME = "param";

    @FuzzTest(maxExecutions = 50_000, maxDuration = "120s")
    void everyParserAnswersAValueOrA400NamingTheParameter(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        int parser = Byte.toUnsignedInt(input[0]) % 13;
        try {
            Object value = parse(parser, text);
            check(parser, text, value);
        } catch (InvalidQueryException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (parser != 12) { // a query string's errors name whichever of its parameters is wrong
                assertThat(e.parameter()).isEqualTo(NAME);
                assertThat(e.getMessage()).contains(NAME);
            }
        }
    }

    private static Object parse(int parser, String text) {
        return switch (parser) {
            case 0 -> Parameters.wholeNumber(NAME, text, 1, 1_500);
            case 1 -> Parameters.wholeNumber(NAME, text, Long.MIN_VALUE, Long.MAX_VALUE);
            case 2 -> Parameters.durationNanos(NAME, text);
            case 3 -> Parameters.epochNanos(NAME, text);
            case 4 -> Parameters.rfc3339Nanos(NAME, text);
            case 5 -> Parameters.epochMicrosAsNanos(NAME, text);
            case 6 -> Parameters.positiveMillisAsNanos(NAME, text);
            case 7 -> Parameters.bool(NAME, text);
            case 8 -> Parameters.traceId(NAME, text, false);
            case 9 -> Parameters.traceId(NAME, text, true);
            case 10 -> Parameters.keyValue(NAME, text, text.isEmpty() ? '=' : text.charAt(0));
            case 11 -> Parameters.jsonStringMap(NAME, text);
            default -> everyParameterOfEveryApi(text);
        };
    }

    /** What each value must be when a parser accepts the text. */
    private static void check(int parser, String text, Object value) {
        switch (parser) {
            case 0 -> assertThat((Integer) value).isBetween(1, 1_500);
            case 2, 3, 4, 5, 6 -> assertThat((Long) value).isNotNegative();
            case 8 -> assertThat(text).matches("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}");
            case 9 -> assertThat(text).hasSizeBetween(1, 32).matches("[0-9a-fA-F]+");
            default -> {
            }
        }
    }

    /** Every parameter the native, Jaeger, api_v3 and Zipkin APIs read, from one query string. */
    private static Object everyParameterOfEveryApi(String queryString) {
        QueryParams q = QueryParams.fromQueryString(queryString);
        for (Params p : new Params[] {Params.strict(q), Params.lenient(q)}) {
            p.string("service");
            p.string("query.serviceName", "query.service_name");
            p.all("tag", 32).forEach(t -> Parameters.keyValue("tag", t, '='));
            p.wholeNumber("limit", 1, 10_000);
            p.wholeNumber("minDuration", 1L, Long.MAX_VALUE / 1_000L);
            p.durationNanos("maxDuration");
            p.epochNanos("start");
            p.epochMicrosAsNanos("end");
            p.positiveMillisAsNanos("lookback");
            p.bool("raw", false);
            p.traceId("traceId", false);
            p.traceId("traceIds", true);
            p.string("tags").ifPresent(t -> Parameters.jsonStringMap("tags", t));
            p.onlyKnown(Set.of("service", "limit"));
        }
        return q;
    }
}
