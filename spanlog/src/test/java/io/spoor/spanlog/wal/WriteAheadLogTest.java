package io.spoor.spanlog.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private WriteAheadLog<String> open(List<String> replayed, long from, List<String> appended) {
        WriteAheadLog<String> wal = new WriteAheadLog<>(dir, FsyncPolicy.EVERY_BATCH, Duration.ofSeconds(1), 4096);
        long end = wal.replay(from, (payload, pos) -> replayed.add(new String(payload, StandardCharsets.UTF_8)));
        wal.start(end, (attachment, bytes, pos) -> appended.add(attachment));
        return wal;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void replaysWhatWasAppendedInOrderAcrossSegments() {
        List<String> appended = new ArrayList<>();
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, appended);
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(wal.append(bytes("record-" + i + "-" + "x".repeat(100)), "r" + i));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        assertThat(wal.segmentCount()).isGreaterThan(3);
        assertThat(appended).hasSize(200).startsWith("r0", "r1").endsWith("r199");
        wal.close();

        List<String> replayed = new ArrayList<>();
        open(replayed, 0, new ArrayList<>()).close();
        assertThat(replayed).hasSize(200);
        assertThat(replayed.get(7)).startsWith("record-7-");
    }

    @Test
    void replaysOnlyRecordsAfterTheGivenPosition() {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        long first = wal.append(bytes("one"), "1").join();
        wal.append(bytes("two"), "2").join();
        wal.close();

        List<String> replayed = new ArrayList<>();
        open(replayed, first, new ArrayList<>()).close();
        assertThat(replayed).containsExactly("two");
    }

    @Test
    void truncatesATornTailAndAppendsAfterIt() throws IOException {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        wal.append(bytes("kept"), "k").join();
        wal.close();
        Path last = lastSegment();
        long intact = Files.size(last);
        Files.write(last, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 5, 6}, StandardOpenOption.APPEND);

        List<String> replayed = new ArrayList<>();
        WriteAheadLog<String> reopened = open(replayed, 0, new ArrayList<>());
        assertThat(replayed).containsExactly("kept");
        assertThat(Files.size(last)).isEqualTo(intact);
        reopened.append(bytes("after"), "a").join();
        reopened.close();

        List<String> again = new ArrayList<>();
        open(again, 0, new ArrayList<>()).close();
        assertThat(again).containsExactly("kept", "after");
    }

    @Test
    void detectsACorruptRecordByItsChecksum() throws IOException {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        wal.append(bytes("good"), "g").join();
        wal.append(bytes("flipped"), "f").join();
        wal.close();
        Path last = lastSegment();
        byte[] content = Files.readAllBytes(last);
        content[content.length - 1] ^= 1;
        Files.write(last, content);

        List<String> replayed = new ArrayList<>();
        open(replayed, 0, new ArrayList<>()).close();
        assertThat(replayed).containsExactly("good");
    }

    @Test
    void deletesSegmentsWhollyBeforeAPosition() {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = wal.append(bytes("y".repeat(200)), "y").join();
        }
        int before = wal.segmentCount();
        wal.roll().join();
        wal.deleteBefore(last);
        assertThat(before).isGreaterThan(2);
        assertThat(wal.segmentCount()).isEqualTo(1); // only the fresh, empty one
        wal.close();
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
