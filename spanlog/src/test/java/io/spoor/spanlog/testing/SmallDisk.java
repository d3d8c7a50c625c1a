package io.spoor.spanlog.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system that runs out of space, for disk-full tests: a small tmpfs mounted for the test (as root, with
 * {@code mount -t tmpfs -o size=…}) and a filler file that takes whatever room is left. {@link #fill()} makes every
 * later write fail with ENOSPC ("No space left on device"), {@link #free()} gives the room back. Where mounting is
 * not permitted (not root, no CAP_SYS_ADMIN, a container that forbids it) the test is skipped through JUnit
 * {@link Assumptions}, with the reason.
 */
public final class SmallDisk implements AutoCloseable {
    private static final String FILLER = ".filler";
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code mib} MiB on {@code mountPoint} (created if missing), or skips the test. */
    public static SmallDisk mount(Path mountPoint, int mib) {
        try {
            Files.createDirectories(mountPoint);
            String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "spoor-test", mountPoint.toString()));
            Assumptions.assumeTrue(out == null, () -> "skipped: cannot mount a tmpfs for a disk-full test here "
                    + "(needs root or CAP_SYS_ADMIN): " + out);
            return new SmallDisk(mountPoint);
        } catch (IOException e) {
            Assumptions.abort("skipped: cannot run mount for a disk-full test: " + e);
            throw new AssertionError(e); // not reached
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return command + " did not finish";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    public Path root() {
        return root;
    }

    /** Takes all the room that is left: from now on every write that needs a new block fails with ENOSPC. */
    public void fill() {
        try (FileChannel ch = FileChannel.open(root.resolve(FILLER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            while (true) {
                chunk.clear();
                try {
                    while (chunk.hasRemaining()) {
                        ch.write(chunk);
                    }
                } catch (IOException full) {
                    break;
                }
            }
            // a last few bytes may still fit in a partly used page: take those too
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                try {
                    ch.write(one);
                } catch (IOException full) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives the room taken by {@link #fill()} back. */
    public void free() {
        try {
            Files.deleteIfExists(root.resolve(FILLER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long usableBytes() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts (lazily, so that a file a failed test left open cannot keep the mount). */
    @Override
    public void close() {
        try {
            String out = run(List.of("umount", "-l", root.toString()));
            if (out != null) {
                System.err.println("could not unmount " + root + ": " + out);
            }
        } catch (IOException e) {
            System.err.println("could not unmount " + root + ": " + e);
        }
    }
}
