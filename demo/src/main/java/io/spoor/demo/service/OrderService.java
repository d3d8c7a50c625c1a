package io.spoor.demo.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.spoor.demo.service.HttpService.HttpError;
import io.spoor.demo.service.HttpService.Request;
import io.spoor.demo.service.HttpService.Response;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * Places orders: prices every item (one query per item — the deliberate N+1), applies a coupon, reserves
 * stock with inventory-service, charges with payment-service, saves the order in PostgreSQL and caches
 * its summary in Redis. Pricing has a deadline: big orders of bulk items (whose price rule is slow) miss it.
 * The {@code FREESHIP} coupon hits a bug.
 */
public final class OrderService {
    private static final Logger log = LoggerFactory.getLogger(OrderService.class);
    static final Duration PRICING_DEADLINE = Duration.ofMillis(1000);
    /** Percent off per coupon. FREESHIP is advertised by marketing but was never added here: the bug. */
    private static final Map<String, Coupon> COUPONS = Map.of("WELCOME10", new Coupon(10), "SPRING5", new Coupon(5));

    record Coupon(int percentOff) {
    }

    record Line(String sku, long qty, long priceCents) {
    }

    private final Tracer tracer = GlobalOpenTelemetry.getTracer("io.spoor.demo.order", "1.0");
    private final Db db;
    private final JedisPooled redis;
    private final Downstream inventory;
    private final Downstream payment;

    OrderService(Db db, JedisPooled redis, Downstream inventory, Downstream payment) {
        this.db = db;
        this.redis = redis;
        this.inventory = inventory;
        this.payment = payment;
    }

    public static void main(String[] args) throws Exception {
        ServiceEnv.exitWithParent();
        OrderService s = new OrderService(new Db(ServiceEnv.require("DEMO_JDBC_URL"), 8),
                Redis.connect(),
                new Downstream("inventory-service", ServiceEnv.require("DEMO_INVENTORY_URL"), Duration.ofSeconds(5)),
                new Downstream("payment-service", ServiceEnv.require("DEMO_PAYMENT_URL"), Duration.ofSeconds(5)));
        new HttpService("order-service").route("POST", "/orders", s::placeOrder).start(ServiceEnv.bind(), ServiceEnv.port());
    }

    Response placeOrder(Request request) throws Exception {
        JsonNode body = request.body();
        String orderId = "ord_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String customer = body.path("customerId").asText();
        Span.current().setAttribute("order.id", orderId);
        Span span = tracer.spanBuilder("place order").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute("order.id", orderId);
            span.setAttribute("customer.id", customer);
            span.setAttribute("order.items", body.path("items").size());
            log.info("placing order {} for customer {}", orderId, customer);

            List<Line> lines = price(orderId, body.path("items"));
            long subtotal = lines.stream().mapToLong(l -> l.priceCents * l.qty).sum();
            String coupon = body.path("coupon").asText("");
            long total = coupon.isEmpty() ? subtotal : applyCoupon(coupon, subtotal);
            span.setAttribute("order.total", total / 100.0);
            span.setAttribute("order.currency", "EUR");

            ObjectNode reservation = HttpService.JSON.createObjectNode().put("orderId", orderId);
            reservation.set("items", body.path("items"));
            Downstream.Answer reserved = inventory.post("/reserve", reservation);
            if (!reserved.ok()) {
                throw new HttpError(reserved.status() >= 500 ? 503 : reserved.status(), "inventory_failed",
                        "inventory-service answered " + reserved.status() + " (" + reserved.errorMessage() + ")");
            }
            ObjectNode charge = HttpService.JSON.createObjectNode().put("orderId", orderId).put("amountCents", total)
                    .put("card", body.path("card").asText(""));
            Downstream.Answer charged = payment.post("/charge", charge);
            if (!charged.ok()) {
                inventory.post("/release", reservation);
                throw new HttpError(charged.status() >= 500 ? 502 : charged.status(), "payment_failed",
                        "payment-service answered " + charged.status() + " (" + charged.errorMessage() + ")");
            }
            String chargeId = charged.body().path("chargeId").asText();
            span.setAttribute("payment.charge_id", chargeId);
            save(orderId, customer, coupon, chargeId, total, lines);
            redis.setex("order:" + orderId, 3600, "confirmed:" + total);
            log.info("order {} confirmed: {} cents, charge {}", orderId, total, chargeId);
            return Response.ok(HttpService.JSON.createObjectNode().put("orderId", orderId).put("status", "confirmed")
                    .put("totalCents", total).put("chargeId", chargeId));
        } catch (HttpError e) {
            if (e.status() >= 500) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
            }
            throw e;
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    /** One query per item, on purpose: the N+1 the waterfall shows. */
    private List<Line> price(String orderId, JsonNode items) throws SQLException, InterruptedException {
        Span span = tracer.spanBuilder("price order").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute("order.id", orderId);
            span.setAttribute("order.items", items.size());
            long start = System.nanoTime();
            List<Line> lines = new ArrayList<>();
            for (JsonNode item : items) {
                String sku = item.path("sku").asText();
                long price = db.with(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT name, price_cents FROM product_prices WHERE sku = ?")) {
                        ps.setString(1, sku);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getLong(2) : -1L;
                        }
                    }
                });
                if (price < 0) {
                    throw new HttpError(400, "unknown_sku", "no product " + sku);
                }
                lines.add(new Line(sku, item.path("qty").asLong(1), price));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                if (elapsedMs > PRICING_DEADLINE.toMillis()) {
                    var e = new PricingDeadlineExceededException("pricing took " + elapsedMs + " ms for " + lines.size()
                            + " of " + items.size() + " items (one query per item), deadline " + PRICING_DEADLINE.toMillis() + " ms");
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR, e.getMessage());
                    log.error("order {}: {}", orderId, e.getMessage());
                    throw new HttpError(504, "pricing_deadline_exceeded", e.getMessage(), e);
                }
            }
            span.setAttribute("pricing.queries", items.size());
            return lines;
        } finally {
            span.end();
        }
    }

    /** Pricing ran out of time. */
    static final class PricingDeadlineExceededException extends RuntimeException {
        PricingDeadlineExceededException(String message) {
            super(message);
        }
    }

    @WithSpan("apply coupon")
    long applyCoupon(@SpanAttribute("coupon.code") String code, @SpanAttribute("order.subtotal_cents") long subtotal) {
        Coupon coupon = COUPONS.get(code.toUpperCase(java.util.Locale.ROOT));
        long discount = subtotal * coupon.percentOff() / 100; // NPE for a coupon that is not in the table
        return subtotal - discount;
    }

    private void save(String orderId, String customer, String coupon, String chargeId, long total, List<Line> lines)
            throws SQLException, InterruptedException {
        db.with(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement(
                    "INSERT INTO orders (id, customer_id, total_cents, coupon, charge_id) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement i = c.prepareStatement(
                         "INSERT INTO order_items (order_id, sku, qty, price_cents) VALUES (?, ?, ?, ?)")) {
                o.setString(1, orderId);
                o.setString(2, customer);
                o.setLong(3, total);
                o.setString(4, coupon.isEmpty() ? null : coupon);
                o.setString(5, chargeId);
                o.executeUpdate();
                for (Line l : lines) {
                    i.setString(1, orderId);
                    i.setString(2, l.sku);
                    i.setLong(3, l.qty);
                    i.setLong(4, l.priceCents);
                    i.addBatch();
                }
                i.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }
}
