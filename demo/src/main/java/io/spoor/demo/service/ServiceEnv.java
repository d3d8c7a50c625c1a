package io.spoor.demo.service;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo services' own settings (addresses of their neighbours and stores), read from {@code DEMO_*}
 * environment variables. Instrumentation is configured apart from this, only through {@code OTEL_*}.
 */
public final class ServiceEnv {
    private static final Logger log = LoggerFactory.getLogger(ServiceEnv.class);

    private ServiceEnv() {
    }

    public static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }

    public static String get(String name, String fallback) {
        return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank()).orElse(fallback);
    }

    public static int port() {
        return Integer.parseInt(get("DEMO_PORT", "0"));
    }

    public static String bind() {
        return get("DEMO_BIND", "127.0.0.1");
    }

    /**
     * Exits when the process that started this service (the demo runner) is gone, so that a runner killed
     * with SIGKILL does not leave services behind.
     */
    public static void exitWithParent() {
        String pid = System.getenv("DEMO_PARENT_PID");
        if (pid == null) {
            return;
        }
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
        var watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parent-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            if (parent == null || !parent.isAlive()) {
                log.warn("the demo runner (pid {}) is gone; exiting", pid);
                System.exit(0);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
