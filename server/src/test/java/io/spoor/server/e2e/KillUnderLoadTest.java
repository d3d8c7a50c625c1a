package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.CrashLoad;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability figure of docs/reliability.md, rerunnable: {@code kill -9} of a child Spoor under load, N times in a
 * row on the same data directory, each restart replaying what the last one left. After every kill the next child
 * (started on the same directory) must return every trace whose export was acknowledged before the kill, whole; at
 * the end, every trace acknowledged in any round is checked once more. Prints one row per kill. Off by default (it
 * runs for minutes); {@code scripts/kill-under-load.sh [N]} runs it, or
 * {@code mvn -B -o -pl server -am test -Dtest=KillUnderLoadTest -Dspoor.kills=20 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "spoor.kills", matches = "[1-9][0-9]*")
class KillUnderLoadTest {
    private static final int SPANS_PER_EXPORT = 20;

    private record Round(int kill, long loadMillis, int acknowledged, int diedInFlight, int found, int lost) {
    }

    @Test
    void noAcknowledgedSpanIsLostAcrossRepeatedKillMinus9UnderLoad(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("spoor.kills");
        Random random = new Random(Long.getLong("spoor.kills.seed", 20_260_101L));
        Path data = dir.resolve("data");
        Map<TraceId, Integer> everAcknowledged = new LinkedHashMap<>();
        List<Round> rounds = new ArrayList<>();
        Map<TraceId, Boolean> previous = Map.of();
        int previousFailures = 0;
        long previousLoadMillis = 0;
        for (int kill = 1; kill <= kills + 1; kill++) {
            try (ChildSpoor child = ChildSpoor.start(data, "512m", null)) {
                if (kill > 1) {
                    rounds.add(verify(kill - 1, previousLoadMillis, previous, previousFailures,
                            URI.create("http://127.0.0.1:" + child.httpPort)));
                    System.out.println(row(rounds.getLast()));
                }
                if (kill > kills) {
                    break; // the last child only verified
                }
                int round = kill;
                CrashLoad<Boolean> load = CrashLoad.start(child, i -> {
                    TraceId id = TestSpans.randomTraceId();
                    return new CrashLoad.Export<>(id, true, TestSpans.protobuf(TestSpans.trace(id, "kill-" + round,
                            SPANS_PER_EXPORT)));
                });
                // killed at a different moment each round (after 100 to 500 acknowledged exports, at least 1.5 s
                // in): sometimes right after an index commit, sometimes long after, always with requests in flight
                int target = 100 + random.nextInt(400);
                long started = System.nanoTime();
                long minimum = started + 1_500_000_000L;
                long deadline = started + 30_000_000_000L;
                while ((load.acknowledged.size() < target || System.nanoTime() < minimum)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long loadMillis = (System.nanoTime() - started) / 1_000_000;
                child.kill(); // mid-stream: the loaders are still sending
                load.stop();
                previous = Map.copyOf(load.acknowledged);
                previousFailures = load.failures.get();
                previousLoadMillis = loadMillis;
                previous.keySet().forEach(id -> everAcknowledged.put(id, round));
            }
        }

        List<TraceId> lostInTheEnd = new ArrayList<>();
        try (Harness after = Harness.start(Harness.config(data))) {
            for (TraceId id : everAcknowledged.keySet()) {
                if (DurabilityTest.spanCount(after.http, after.api("/api/v1/traces/" + id.toHex()))
                        != SPANS_PER_EXPORT) {
                    lostInTheEnd.add(id);
                }
            }
        }
        String table = table(rounds, everAcknowledged.size(), lostInTheEnd.size());
        System.out.println(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "kill-under-load.md"), table);

        assertThat(rounds).hasSize(kills);
        assertThat(rounds).allSatisfy(r -> assertThat(r.acknowledged()).isPositive());
        assertThat(rounds.stream().mapToInt(Round::lost).sum()).as("acknowledged traces lost after a kill").isZero();
        assertThat(lostInTheEnd).as("acknowledged traces lost by the end (of %d)", everAcknowledged.size()).isEmpty();
    }

    private static Round verify(int kill, long loadMillis, Map<TraceId, Boolean> acknowledged, int failures,
                                URI api) throws InterruptedException {
        Http http = new Http();
        int found = 0;
        for (TraceId id : acknowledged.keySet()) {
            if (DurabilityTest.spanCount(http, api.resolve("/api/v1/traces/" + id.toHex())) == SPANS_PER_EXPORT) {
                found++;
            }
        }
        return new Round(kill, loadMillis, acknowledged.size(), failures, found, acknowledged.size() - found);
    }

    private static String row(Round r) {
        return String.format("| %d | %.1f s | %d | %d | %d | %d |", r.kill(), r.loadMillis() / 1000.0, r.acknowledged(),
                r.acknowledged() * SPANS_PER_EXPORT, r.found(), r.lost());
    }

    private static String table(List<Round> rounds, int totalTraces, int lostAtEnd) {
        StringBuilder sb = new StringBuilder();
        sb.append("| kill | load before kill -9 | acknowledged exports (traces) | acknowledged spans "
                + "| found after restart (whole) | lost |\n|---|---|---|---|---|---|\n");
        int acked = 0;
        int found = 0;
        for (Round r : rounds) {
            sb.append(row(r)).append('\n');
            acked += r.acknowledged();
            found += r.found();
        }
        sb.append(String.format("| total | | %d | %d | %d | %d |%n", acked, acked * SPANS_PER_EXPORT, found,
                acked - found));
        sb.append(String.format("%nAll %d acknowledged traces checked again after the last restart: %d lost.%n",
                totalTraces, lostAtEnd));
        return sb.toString();
    }
}
