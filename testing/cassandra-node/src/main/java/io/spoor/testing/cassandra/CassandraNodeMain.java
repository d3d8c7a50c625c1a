package io.spoor.testing.cassandra;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one node until stdin closes or the process is told to stop (the benchmark script uses it). Prints
 * {@code READY host nativePort pid dataDir} once CQL is up.
 *
 * <pre>java -cp spoor-cassandra-node.jar io.spoor.testing.cassandra.CassandraNodeMain [heapMb] [jmxPort] [dir]</pre>
 */
public final class CassandraNodeMain {
    private CassandraNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        CassandraNode.Settings settings = CassandraNode.Settings.forTests();
        if (args.length > 0) {
            settings = settings.withHeapMb(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            settings = settings.withJmxPort(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            settings = settings.withDirectory(Path.of(args[2]));
        }
        CassandraNode node = CassandraNode.start(settings);
        System.out.println("READY " + node.host() + " " + node.nativePort() + " " + node.pid() + " "
                + node.dataDirectory());
        System.out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for end of input
                }
            } catch (java.io.IOException e) {
                // treat as closed
            }
            done.countDown();
        }, "stdin-watch");
        stdin.setDaemon(true);
        stdin.start();
        done.await();
        node.stop();
        node.close();
    }
}
