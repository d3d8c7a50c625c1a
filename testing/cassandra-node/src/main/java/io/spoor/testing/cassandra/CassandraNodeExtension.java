package io.spoor.testing.cassandra;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives test classes one shared Cassandra node per test JVM (a surefire fork): started by the first class that
 * asks ({@link #node()}, 10–20 s), kept for every later class, killed when the test run ends (the JUnit root
 * context closes) or, failing that, when the JVM exits. Data is not reset here: a test class resets the keyspace it
 * uses (TRUNCATE), which takes milliseconds where a fresh node takes seconds.
 *
 * <pre>
 * {@literal @}ExtendWith(CassandraNodeExtension.class)
 * class MyTest { ... CassandraNodeExtension.node().contactPoint() ... }
 * </pre>
 */
public final class CassandraNodeExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            CassandraNodeExtension.class);
    private static CassandraNode node;

    /** The shared node, started on first use. */
    public static synchronized CassandraNode node() {
        if (node == null) {
            node = CassandraNode.start(CassandraNode.Settings.forTests());
        }
        return node;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        node();
        // closed by JUnit when the whole run (the root context) ends, after the last class that used the node
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Stopper.class, k -> new Stopper(), Stopper.class);
    }

    private static synchronized void stopShared() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    private static final class Stopper implements AutoCloseable {
        @Override
        public void close() {
            stopShared();
        }
    }
}
