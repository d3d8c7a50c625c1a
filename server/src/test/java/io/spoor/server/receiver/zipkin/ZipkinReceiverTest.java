package io.spoor.server.receiver.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.server.receiver.ErrorReferences;
import io.spoor.server.support.Harness;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.LogCapture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Zipkin receiver's answers that its end-to-end test (Zipkin's own reporter) does not reach. */
class ZipkinReceiverTest {
    /** Dated a minute ago: spans older than the store's retention would be refused (spoor.limits.max_span_age). */
    private static final byte[] REPORT = ("[{\"traceId\":\"00000000000000d1\",\"id\":\"01\",\"name\":\"get\","
            + "\"timestamp\":" + (System.currentTimeMillis() - 60_000) * 1000
            + ",\"duration\":5,\"localEndpoint\":{\"serviceName\":\"zr\"}}]").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static FailingSpanStore store;
    static Harness spoor;

    @BeforeAll
    static void start() {
        store = new FailingSpanStore();
        spoor = Harness.start(Harness.config(dir), c -> store);
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    private HttpResponse<byte[]> post(byte[] body, String... headers) {
        return spoor.http.post(spoor.zipkin("/api/v2/spans"), body, headers);
    }

    @Test
    void requiresAJsonOrProtobufContentTypeSoThatNoWebPageCanPostWithoutAPreflight() {
        // the three content types a browser sends without asking first, and none at all
        for (String[] headers : new String[][] {{}, {"Content-Type", "text/plain"},
                {"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Type", "multipart/form-data"}}) {
            HttpResponse<byte[]> r = post(REPORT, headers);
            assertThat(r.statusCode()).as(String.join(" ", headers)).isEqualTo(415);
            assertThat(new String(r.body())).contains("use application/json or application/x-protobuf");
        }
        assertThat(store.spanCount()).isZero();
        assertThat(post(REPORT, "Content-Type", "application/json; charset=utf-8").statusCode()).isEqualTo(202);
    }

    @Test
    void answers503WithRetryAfterAndAReferenceNotTheExceptionWhenStorageFails() {
        store.failWrites.set(true);
        try (LogCapture log = new LogCapture(ErrorReferences.class)) {
            HttpResponse<byte[]> r = post(REPORT, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("retry-after")).contains("1");
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("spans could not be stored, retry later").doesNotContain("disk on fire")
                    .doesNotContain("Exception");
            Matcher m = Pattern.compile("reference ([0-9a-f]{8})").matcher(body);
            assertThat(m.find()).isTrue();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(m.group(1), "disk on fire"));
        } finally {
            store.failWrites.set(false);
        }
    }
}
