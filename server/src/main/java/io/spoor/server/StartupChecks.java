package io.spoor.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** What can stop Spoor from starting, checked or translated into a {@link StartupException} that names the flag. */
final class StartupChecks {
    private StartupChecks() {
    }

    /** The data directory exists (created if need be) and Spoor can create files in it. */
    static void dataDirectory(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".spoor-write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + abs + " is not writable: " + reason(e, abs)
                    + " (--data-dir)", e);
        }
    }

    /**
     * A store that could not open because another process holds its lock (a second Spoor on the same data
     * directory), as a {@link StartupException}; null for any other failure.
     */
    static StartupException storeInUse(Throwable failure, Path dir) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("LockObtainFailedException")) {
                return new StartupException("data directory " + dir.toAbsolutePath() + " is in use by another "
                        + "Spoor process; stop it or choose another directory (--data-dir)", failure);
            }
        }
        return null;
    }

    /**
     * A listener that could not bind, as a {@link StartupException} naming the address, the port and its flag; null
     * when {@code failure} is not a bind failure.
     */
    static StartupException bindFailure(Throwable failure, String what, InetSocketAddress address, String portFlag) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            boolean bind = t instanceof BindException || m.contains("bind(") || m.contains("address already in use");
            if (!bind) {
                continue;
            }
            String where = address.getHostString() + ":" + address.getPort();
            if (m.contains("already in use")) {
                return new StartupException("port " + address.getPort() + " on " + address.getHostString()
                        + " is already in use (" + what + ", " + portFlag + "); stop what uses it or choose another "
                        + "port", failure);
            }
            if (m.contains("cannot assign requested address") || m.contains("can't assign")) {
                return new StartupException("cannot listen on " + where + " (" + what + "): "
                        + address.getHostString() + " is not an address of this machine (--bind)", failure);
            }
            if (m.contains("permission denied")) {
                return new StartupException("cannot listen on " + where + " (" + what + "): permission denied; "
                        + "ports below 1024 need privileges (" + portFlag + ")", failure);
            }
            return new StartupException("cannot listen on " + where + " (" + what + ", " + portFlag + "): "
                    + t.getMessage(), failure);
        }
        return null;
    }

    private static String reason(Exception e, Path dir) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + " does not exist";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            boolean self = f.getFile() == null || f.getFile().equals(dir.toString());
            return (self ? "" : f.getFile() + ": ") + f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
