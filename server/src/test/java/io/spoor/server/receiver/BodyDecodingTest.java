package io.spoor.server.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.pipeline.IngestPipeline;
import io.spoor.pipeline.memory.MemoryLimiter;
import io.spoor.pipeline.memory.MemoryLimiterSettings;
import io.spoor.server.support.RawGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Inflating gzip bodies: bounded output, and every inflated byte reserved with the memory limiter first. */
class BodyDecodingTest {
    private static final int LIMIT = 20 * 1024 * 1024;
    private final AtomicLong liveHeap = new AtomicLong();
    private final MemoryLimiter limiter = new MemoryLimiter(MemoryLimiterSettings.ofMib(100, 20), liveHeap::get);
    private final IngestPipeline pipeline = new IngestPipeline(limiter,
            spans -> CompletableFuture.completedFuture(null), List.of(), new SimpleMeterRegistry());

    private BodyReservation reservationFor(byte[] wire) {
        BodyReservation r = new BodyReservation(pipeline);
        assertThat(r.reserveTotal(wire.length)).isNull();
        return r;
    }

    @Test
    void inflatesIntoExactlyTheInflatedSizeAndCountsItInTheReservation() throws Exception {
        byte[] plain = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(plain);
        byte[] wire = RawGrpc.gzip(plain);
        BodyReservation r = reservationFor(wire);
        RequestBody body = BodyDecoding.decode(RequestBody.of(wire), BodyDecoding.Encoding.GZIP, LIMIT, r);
        assertThat(body.offset()).isZero();
        assertThat(body.length()).isEqualTo(plain.length);
        assertThat(body.array()).as("one array of the right size, from the gzip trailer").isEqualTo(plain);
        assertThat(r.reserved()).isEqualTo(wire.length + plain.length);
        r.cancel();
        assertThat(limiter.reservedHeapBytes()).isZero();
    }

    @Test
    void refusesABombOverTheLimitWithoutInflatingMoreThanTheLimit() {
        byte[] bomb = RawGrpc.gzip(new byte[64 * 1024 * 1024]);
        BodyReservation r = reservationFor(bomb);
        assertThatThrownBy(() -> BodyDecoding.decode(RequestBody.of(bomb), BodyDecoding.Encoding.GZIP, LIMIT, r))
                .isInstanceOfSatisfying(BodyDecoding.BodyException.class, e -> {
                    assertThat(e.failure.kind()).isEqualTo(ExportFailure.Kind.TOO_LARGE);
                    assertThat(e.failure.message()).isEqualTo("request body exceeds 20 MiB after decompression");
                });
        assertThat(r.reserved()).as("never more than the limit held").isLessThanOrEqualTo(bomb.length + LIMIT);
        r.cancel();
    }

    @Test
    void refusesRetryablyWhenTheMemoryLimiterSaysNoWhileInflating() {
        byte[] wire = RawGrpc.gzip(new byte[4 * 1024 * 1024]); // small on the wire, 32 MiB of heap inflated
        BodyReservation r = reservationFor(wire);
        liveHeap.set(60L * MemoryLimiterSettings.MIB); // 20 MiB of room left under the 80 MiB soft limit
        assertThatThrownBy(() -> BodyDecoding.decode(RequestBody.of(wire), BodyDecoding.Encoding.GZIP, LIMIT, r))
                .isInstanceOfSatisfying(BodyDecoding.BodyException.class, e -> {
                    assertThat(e.failure.kind()).isEqualTo(ExportFailure.Kind.REFUSED);
                    assertThat(e.failure.retryable()).isTrue();
                    assertThat(e.failure.message()).contains("memory limit");
                });
        r.cancel();
        assertThat(limiter.reservedHeapBytes()).isZero();
    }

    @Test
    void aTrailerThatLiesAboutTheSizeNeitherBuysMemoryNorPassesAsValid() {
        byte[] plain = new byte[1000];
        ThreadLocalRandom.current().nextBytes(plain);
        for (int claimed : new int[] {1, LIMIT}) {
            byte[] wire = RawGrpc.gzip(plain);
            int n = wire.length;
            wire[n - 4] = (byte) claimed;
            wire[n - 3] = (byte) (claimed >>> 8);
            wire[n - 2] = (byte) (claimed >>> 16);
            wire[n - 1] = (byte) (claimed >>> 24);
            BodyReservation r = reservationFor(wire);
            // inflating checks the trailer at the end: a lying one is invalid gzip
            assertThatThrownBy(() -> BodyDecoding.decode(RequestBody.of(wire), BodyDecoding.Encoding.GZIP, LIMIT, r))
                    .isInstanceOfSatisfying(BodyDecoding.BodyException.class,
                            e -> assertThat(e.failure.kind()).isEqualTo(ExportFailure.Kind.MALFORMED));
            assertThat(r.reserved()).as("sized by the data, not the claim").isLessThan(300L * wire.length);
            r.cancel();
        }
    }

    @Test
    void passesAnUncompressedBodyThroughAndRefusesOneOverTheLimit() throws Exception {
        byte[] plain = new byte[10];
        BodyReservation r = reservationFor(plain);
        assertThat(BodyDecoding.decode(RequestBody.of(plain), BodyDecoding.Encoding.IDENTITY, LIMIT, r).array())
                .isSameAs(plain);
        assertThatThrownBy(() -> BodyDecoding.decode(RequestBody.of(new byte[11]), BodyDecoding.Encoding.IDENTITY,
                10, r)).isInstanceOf(BodyDecoding.BodyException.class);
        r.cancel();
    }
}
