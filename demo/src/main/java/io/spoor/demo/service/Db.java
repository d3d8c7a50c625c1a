package io.spoor.demo.service;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/** A tiny JDBC connection pool over {@link DriverManager}; the agent turns every statement into a span. */
public final class Db {
    private final String url;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    public Db(String url, int size) {
        this.url = url;
        this.permits = new Semaphore(size);
    }

    /** Runs work on a pooled connection; a connection the work leaves broken or mid-transaction is closed. */
    public <T> T with(SqlWork<T> work) throws SQLException, InterruptedException {
        permits.acquire();
        Connection c = null;
        boolean reusable = false;
        try {
            c = idle.poll();
            if (c == null || c.isClosed()) {
                c = DriverManager.getConnection(url);
            }
            T result = work.run(c);
            reusable = c.getAutoCommit();
            return result;
        } catch (SQLException e) {
            // a cancelled or refused statement leaves the connection usable; anything else: start afresh
            String state = e.getSQLState();
            reusable = c != null && state != null && !state.startsWith("08") && c.getAutoCommit();
            throw e;
        } finally {
            if (c != null) {
                if (reusable && !c.isClosed()) {
                    idle.add(c);
                } else {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // it was broken anyway
                    }
                }
            }
            permits.release();
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
