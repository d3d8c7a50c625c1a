package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.spoor.demo.service.HttpService.HttpError;
import io.spoor.demo.service.HttpService.Request;
import io.spoor.demo.service.HttpService.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Reserves stock. Where an item is stored is cached in Redis; the stock itself lives in PostgreSQL.
 * Items kept in the {@code cold-storage} warehouse are counted through a remote lookup that is far slower
 * than the 1 s statement timeout: the JDBC span fails, {@code reserve stock} records the timeout, and the
 * service answers 504.
 */
public final class InventoryService {
    private static final Logger log = LoggerFactory.getLogger(InventoryService.class);
    static final int QUERY_TIMEOUT_SECONDS = 1;
    private final Tracer tracer = GlobalOpenTelemetry.getTracer("io.spoor.demo.inventory", "1.0");
    private final Db db;
    private final JedisPooled redis;

    InventoryService(Db db, JedisPooled redis) {
        this.db = db;
        this.redis = redis;
    }

    public static void main(String[] args) throws Exception {
        ServiceEnv.exitWithParent();
        InventoryService s = new InventoryService(new Db(ServiceEnv.require("DEMO_JDBC_URL"), 8),
                Redis.connect());
        new HttpService("inventory-service")
                .route("POST", "/reserve", s::reserve)
                .route("POST", "/release", s::release)
                .start(ServiceEnv.bind(), ServiceEnv.port());
    }

    Response reserve(Request request) throws Exception {
        JsonNode body = request.body();
        String orderId = body.path("orderId").asText();
        Span.current().setAttribute("order.id", orderId);
        Span span = tracer.spanBuilder("reserve stock").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute("order.id", orderId);
            span.setAttribute("inventory.items", body.path("items").size());
            for (JsonNode item : body.path("items")) {
                String sku = item.path("sku").asText();
                long qty = item.path("qty").asLong(1);
                String warehouse = warehouseOf(sku);
                if ("cold-storage".equals(warehouse)) {
                    remoteStockLevel(sku);
                }
                int updated = db.with(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE stock SET reserved = reserved + ? WHERE sku = ? AND on_hand - reserved >= ?")) {
                        ps.setLong(1, qty);
                        ps.setString(2, sku);
                        ps.setLong(3, qty);
                        return ps.executeUpdate();
                    }
                });
                if (updated == 0) {
                    throw new HttpError(409, "out_of_stock", sku + " is out of stock");
                }
            }
            log.info("reserved {} items for order {}", body.path("items").size(), orderId);
            return Response.ok(HttpService.JSON.createObjectNode().put("orderId", orderId).put("reserved", true));
        } catch (SQLException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            if ("57014".equals(e.getSQLState())) {
                log.error("stock lookup for order {} timed out after {} s: {}", orderId, QUERY_TIMEOUT_SECONDS, e.getMessage());
                throw new HttpError(504, "warehouse_timeout", "stock lookup in cold-storage timed out after "
                        + QUERY_TIMEOUT_SECONDS + " s", e);
            }
            throw e;
        } finally {
            span.end();
        }
    }

    Response release(Request request) throws Exception {
        JsonNode body = request.body();
        String orderId = body.path("orderId").asText();
        Span.current().setAttribute("order.id", orderId);
        for (JsonNode item : body.path("items")) {
            db.with(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE stock SET reserved = reserved - ? WHERE sku = ?")) {
                    ps.setLong(1, item.path("qty").asLong(1));
                    ps.setString(2, item.path("sku").asText());
                    return ps.executeUpdate();
                }
            });
        }
        log.info("released the reservation of order {}", orderId);
        return Response.ok(HttpService.JSON.createObjectNode().put("orderId", orderId).put("released", true));
    }

    /** The warehouse holding an item: Redis first, then PostgreSQL (and back into Redis for a minute). */
    private String warehouseOf(String sku) throws SQLException, InterruptedException {
        String key = "warehouse:" + sku;
        String cached = redis.get(key);
        if (cached != null) {
            return cached;
        }
        String warehouse = db.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT warehouse FROM stock WHERE sku = ?")) {
                ps.setString(1, sku);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (warehouse == null) {
            throw new HttpError(404, "unknown_sku", "no stock record for " + sku);
        }
        redis.setex(key, 60, warehouse);
        return warehouse;
    }

    private long remoteStockLevel(String sku) throws SQLException, InterruptedException {
        return db.with((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT remote_stock_level(?)")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, sku);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
