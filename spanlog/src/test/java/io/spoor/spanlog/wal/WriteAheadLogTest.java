package io.spoor.spanlog.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.spanlog.testing.SmallDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

    /** Appends {@code n} records "r0-…" and returns each one's end position. */
    private List<Long> appendNumbered(WriteAheadLog<String> wal, int n) {
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ends.add(wal.append(bytes("r" + i + "-" + "p".repeat(40 + i)), "r" + i).join());
        }
        return ends;
    }

    private static List<String> names(List<String> replayed) {
        return replayed.stream().map(r -> r.substring(0, r.indexOf('-'))).toList();
    }

    @Test
    void skipsACorruptRecordInTheMiddleAndKeepsTheRecordsAfterIt() throws IOException {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        List<Long> ends = appendNumbered(wal, 10);
        wal.close();
        Path last = lastSegment();
        long segmentBase = Long.parseLong(last.getFileName().toString().replace(".wal", ""));
        byte[] content = Files.readAllBytes(last);
        content[(int) (ends.get(4) - segmentBase) - 3] ^= 0x40; // inside record 4's payload
        Files.write(last, content);

        List<String> replayed = new ArrayList<>();
        WriteAheadLog<String> reopened = open(replayed, 0, new ArrayList<>());

        assertThat(names(replayed)).containsExactly("r0", "r1", "r2", "r3", "r5", "r6", "r7", "r8", "r9");
        assertThat(reopened.skippedBytes()).isEqualTo(ends.get(4) - ends.get(3));
        assertThat(reopened.skippedRegions()).isEqualTo(1);
        assertThat(Files.size(last)).isEqualTo(content.length); // nothing cut off
        reopened.close();
    }

    @Test
    void resynchronisesOnTheNextIntactRecordWhenALengthFieldIsCorrupt() throws IOException {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        List<Long> ends = appendNumbered(wal, 10);
        wal.close();
        Path last = lastSegment();
        long segmentBase = Long.parseLong(last.getFileName().toString().replace(".wal", ""));
        byte[] content = Files.readAllBytes(last);
        int record5 = (int) (ends.get(4) - segmentBase);
        // record 5 claims to be 3 bytes long, and record 6's header is smashed: neither length can be trusted
        content[record5] = 0;
        content[record5 + 1] = 0;
        content[record5 + 2] = 0;
        content[record5 + 3] = 3;
        int record6 = (int) (ends.get(5) - segmentBase);
        for (int i = 0; i < 8; i++) {
            content[record6 + i] = (byte) 0xEE;
        }
        Files.write(last, content);

        List<String> replayed = new ArrayList<>();
        WriteAheadLog<String> reopened = open(replayed, 0, new ArrayList<>());

        assertThat(names(replayed)).containsExactly("r0", "r1", "r2", "r3", "r4", "r7", "r8", "r9");
        assertThat(reopened.skippedBytes()).isEqualTo(ends.get(6) - ends.get(4));
        reopened.append(bytes("after-x"), "a").join();
        reopened.close();
        List<String> again = new ArrayList<>();
        open(again, 0, new ArrayList<>()).close();
        assertThat(names(again)).endsWith("r7", "r8", "r9", "after");
    }

    @Test
    void keepsTheSegmentsAfterOneWhoseEndIsCorrupt() throws IOException {
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, new ArrayList<>());
        appendNumbered(wal, 120); // several 4 KiB segments
        wal.close();
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThan(2);
        byte[] first = Files.readAllBytes(segments.get(0));
        for (int i = first.length - 30; i < first.length; i++) {
            first[i] = 0; // the end of the first segment's last record
        }
        Files.write(segments.get(0), first);

        List<String> replayed = new ArrayList<>();
        WriteAheadLog<String> reopened = open(replayed, 0, new ArrayList<>());

        assertThat(replayed).hasSize(119); // one record lost, not the segments after it
        assertThat(names(replayed)).endsWith("r117", "r118", "r119");
        assertThat(reopened.segmentCount()).isEqualTo(segments.size() + 1);
        reopened.close();
    }

    @Test
    void readsARangeWhileRunningAndSkipsCorruptBytesInIt() throws IOException {
        List<String> appended = new ArrayList<>();
        WriteAheadLog<String> wal = open(new ArrayList<>(), 0, appended);
        List<Long> ends = appendNumbered(wal, 6);
        Path last = lastSegment();
        long segmentBase = Long.parseLong(last.getFileName().toString().replace(".wal", ""));
        try (var ch = java.nio.channels.FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF}), ends.get(2) - segmentBase - 1);
        }

        List<String> read = new ArrayList<>();
        wal.read(ends.get(0), ends.get(4), (payload, end) -> read.add(new String(payload, StandardCharsets.UTF_8)));

        assertThat(names(read)).containsExactly("r1", "r3", "r4");
        assertThat(wal.skippedRegions()).isEqualTo(1);
        wal.close();
    }

    @Test
    void failsAppendsAtOnceOnAFullDiskAndAppendsAgainWhenRoomReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 8)) {
            Path walDir = disk.root().resolve("wal");
            List<String> appended = new ArrayList<>();
            WriteAheadLog<String> wal = new WriteAheadLog<>(walDir, FsyncPolicy.INTERVAL, Duration.ofMillis(50),
                    1 << 20);
            wal.start(wal.replay(0, (payload, pos) -> { }), (attachment, bytes, pos) -> appended.add(attachment));
            for (int i = 0; i < 10; i++) {
                wal.append(bytes("before-" + i + "-" + "b".repeat(5000)), "before" + i).get(5, TimeUnit.SECONDS);
            }

            disk.fill();
            List<CompletableFuture<Long>> refused = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                refused.add(wal.append(bytes("full-" + i + "-" + "f".repeat(100_000)), "full" + i));
            }

            for (CompletableFuture<Long> f : refused) {
                assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(IOException.class).hasMessageContaining("No space left on device");
            }
            assertThat(wal.failure()).hasMessageContaining("No space left on device");
            assertThat(wal.probe()).isFalse();

            disk.free();
            assertThat(wal.probe()).isTrue();
            assertThat(wal.failure()).isNull();
            wal.append(bytes("after-" + "a".repeat(100_000)), "after").get(5, TimeUnit.SECONDS);
            wal.close();
            assertThat(appended).hasSize(11).endsWith("after");

            // nothing of the refused appends is left in the log, torn or whole
            List<String> replayed = new ArrayList<>();
            WriteAheadLog<String> reopened = new WriteAheadLog<>(walDir, FsyncPolicy.INTERVAL, Duration.ofMillis(50),
                    1 << 20);
            reopened.replay(0, (payload, pos) -> replayed.add(new String(payload, StandardCharsets.UTF_8)));
            assertThat(names(replayed)).containsExactly("before", "before", "before", "before", "before", "before",
                    "before", "before", "before", "before", "after");
            assertThat(reopened.skippedBytes()).isZero();
            reopened.close();
        }
    }

    @Test
    void startsOnAFullDisk() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 4)) {
            Path walDir = disk.root().resolve("wal");
            WriteAheadLog<String> first = new WriteAheadLog<>(walDir, FsyncPolicy.EVERY_BATCH, Duration.ofSeconds(1),
                    1 << 20);
            first.start(first.replay(0, (payload, pos) -> { }), (attachment, bytes, pos) -> { });
            first.append(bytes("kept-" + "k".repeat(1000)), "k").get(5, TimeUnit.SECONDS);
            first.close();
            disk.fill();

            List<String> replayed = new ArrayList<>();
            WriteAheadLog<String> wal = new WriteAheadLog<>(walDir, FsyncPolicy.EVERY_BATCH, Duration.ofSeconds(1),
                    1 << 20);
            wal.start(wal.replay(0, (payload, pos) -> replayed.add(new String(payload, StandardCharsets.UTF_8))),
                    (attachment, bytes, pos) -> { });
            assertThat(names(replayed)).containsExactly("kept");
            assertThat(wal.append(bytes("refused-" + "r".repeat(100_000)), "r"))
                    .failsWithin(5, TimeUnit.SECONDS);

            disk.free();
            wal.append(bytes("accepted-x"), "a").get(5, TimeUnit.SECONDS);
            wal.close();
        }
    }
}
