package io.spoor.bench.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds OTLP export requests that look like what the instrumented demo shop sends: a frontend calling
 * order-service, which calls inventory-service and payment-service, with PostgreSQL and Redis client
 * spans, current semantic-convention attributes, per-instance resources, and a small share of failing
 * traces carrying exception events.
 *
 * <p>Deterministic for a given seed. Only used up front to build the pool: nothing here runs per send.
 */
public final class ShopTraceGenerator {

    private static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0";

    private final SplittableRandom random;
    private final double errorShare;
    private final Service frontend;
    private final Service orders;
    private final Service inventory;
    private final Service payment;

    // instrumentation scopes, as the OpenTelemetry Java agent names them
    private static final InstrumentationScope HTTP_SERVER = scope("io.opentelemetry.armeria-1.3", "2.22.0-alpha");
    private static final InstrumentationScope HTTP_CLIENT = scope("io.opentelemetry.java-http-client", "2.22.0-alpha");
    private static final InstrumentationScope JDBC = scope("io.opentelemetry.jdbc", "2.22.0-alpha");
    private static final InstrumentationScope LETTUCE = scope("io.opentelemetry.lettuce-5.1", "2.22.0-alpha");
    private static final InstrumentationScope APP = scope("io.spoor.demo.shop", "1.4.2");

    private long traceCount;
    private long errorTraceCount;
    private long spanTotal;

    public ShopTraceGenerator(long seed, double errorShare) {
        this.random = new SplittableRandom(seed);
        this.errorShare = errorShare;
        this.frontend = new Service("frontend", "2.3.1", 3);
        this.orders = new Service("order-service", "1.12.0", 2);
        this.inventory = new Service("inventory-service", "1.7.4", 2);
        this.payment = new Service("payment-service", "3.0.2", 2);
    }

    public long traces() {
        return traceCount;
    }

    public long errorTraces() {
        return errorTraceCount;
    }

    public long spans() {
        return spanTotal;
    }

    /**
     * One export request with exactly {@code spanCount} spans: whole traces, the last one cut short,
     * grouped by resource (service instance) and instrumentation scope like a collector's batch.
     * All timestamps lie shortly before {@code nowEpochNanos}.
     */
    public ExportTraceServiceRequest batch(int spanCount, long nowEpochNanos) {
        List<Emitted> spans = new ArrayList<>(spanCount + 32);
        while (spans.size() < spanCount) {
            List<Emitted> trace = trace(nowEpochNanos - millis(50 + random.nextInt(2_000)));
            int take = Math.min(trace.size(), spanCount - spans.size());
            spans.addAll(trace.subList(0, take));
        }
        spanTotal += spans.size();
        Map<Instance, Map<InstrumentationScope, List<Span>>> grouped = new LinkedHashMap<>();
        for (Emitted e : spans) {
            grouped.computeIfAbsent(e.instance, k -> new LinkedHashMap<>())
                    .computeIfAbsent(e.scope, k -> new ArrayList<>())
                    .add(e.builder.build());
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        grouped.forEach((instance, byScope) -> {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(instance.resource).setSchemaUrl(SCHEMA_URL);
            byScope.forEach((scope, list) -> rs.addScopeSpans(
                    ScopeSpans.newBuilder().setScope(scope).addAllSpans(list).setSchemaUrl(SCHEMA_URL)));
            request.addResourceSpans(rs);
        });
        return request.build();
    }

    // ---------------------------------------------------------------- traces

    private List<Emitted> trace(long start) {
        traceCount++;
        boolean error = random.nextDouble() < errorShare;
        if (error) {
            errorTraceCount++;
        }
        Trace t = new Trace(randomTraceId(), error, start);
        int kind = random.nextInt(100);
        if (kind < 60) {
            checkout(t);
        } else if (kind < 80) {
            productPage(t);
        } else {
            cartPage(t);
        }
        return t.out;
    }

    /** POST /api/checkout: ~20–26 spans across all four services; errors come from the payment gateway. */
    private void checkout(Trace t) {
        Instance fe = frontend.pick(random);
        Instance os = orders.pick(random);
        Instance inv = inventory.pick(random);
        Instance pay = payment.pick(random);
        String user = userId();
        int items = 1 + random.nextInt(3);
        long orderId = 1_000_000 + random.nextInt(9_000_000);
        int status = t.error ? 502 : 200;

        Span.Builder root = t.serverSpan(fe, null, "POST", "/api/checkout", "/api/checkout", status == 200 ? 200 : 500, user, t.start, millis(120 + random.nextInt(300)));
        long cursor = t.start + micros(300);
        t.internal(fe, root, "checkout.validate_cart", cursor, micros(400 + random.nextInt(800)), user,
                kv("app.cart.items", items));
        cursor += micros(1_500);
        t.redis(fe, root, "GET", "GET session:" + user, user, cursor, micros(300 + random.nextInt(500)));
        cursor += micros(1_000);
        long orderCall = durOf(root) - (cursor - t.start) - micros(2_000);
        Span.Builder feToOrder = t.clientSpan(fe, root, "POST", "http://order-service:8080/orders", "order-service", 8080, status == 200 ? 201 : 500, user, cursor, orderCall);
        Span.Builder orderServer = t.serverSpan(os, feToOrder, "POST", "/orders", "/orders", status == 200 ? 201 : 500, user, cursor + micros(400), orderCall - micros(800));
        long oc = cursor + micros(600);
        Span.Builder place = t.internal(os, orderServer, "OrderService.placeOrder", oc, orderCall - micros(1_400), user,
                kv("app.order.id", orderId), kv("app.cart.items", items));
        oc += micros(200);
        oc = t.postgres(os, place, "SELECT", "customers", "SELECT id, email, tier FROM customers WHERE id = $1", user, oc, micros(800 + random.nextInt(2_000)), 1);
        oc = t.redis(os, place, "GET", "GET cart:" + user, user, oc, micros(250 + random.nextInt(400)));
        for (int i = 0; i < items; i++) {
            String sku = sku();
            long d = micros(3_000 + random.nextInt(6_000));
            Span.Builder c = t.clientSpan(os, place, "GET", "http://inventory-service:8080/inventory/" + sku, "inventory-service", 8080, 200, user, oc, d);
            Span.Builder s = t.serverSpan(inv, c, "GET", "/inventory/" + sku, "/inventory/{sku}", 200, user, oc + micros(300), d - micros(600));
            long ic = oc + micros(500);
            ic = t.redis(inv, s, "HGET", "HGET stock " + sku, user, ic, micros(200 + random.nextInt(300)));
            t.postgres(inv, s, "SELECT", "inventory", "SELECT sku, available, reserved FROM inventory WHERE sku = $1", user, ic, micros(900 + random.nextInt(1_500)), 1);
            oc += d + micros(100);
        }
        long reserve = micros(4_000 + random.nextInt(8_000));
        Span.Builder rc = t.clientSpan(os, place, "POST", "http://inventory-service:8080/inventory/reservations", "inventory-service", 8080, 201, user, oc, reserve);
        Span.Builder rs = t.serverSpan(inv, rc, "POST", "/inventory/reservations", "/inventory/reservations", 201, user, oc + micros(300), reserve - micros(600));
        t.postgres(inv, rs, "UPDATE", "inventory", "UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2 AND available - reserved >= $1", user, oc + micros(600), reserve - micros(1_500), items);
        oc += reserve + micros(100);

        long payDur = micros(40_000 + random.nextInt(60_000));
        Span.Builder pc = t.clientSpan(os, place, "POST", "http://payment-service:8080/payments", "payment-service", 8080, status == 200 ? 201 : 502, user, oc, payDur);
        Span.Builder ps = t.serverSpan(pay, pc, "POST", "/payments", "/payments", status == 200 ? 201 : 502, user, oc + micros(300), payDur - micros(600));
        long pcur = oc + micros(500);
        Span.Builder auth = t.internal(pay, ps, "PaymentService.authorize", pcur, payDur - micros(1_000), user,
                kv("app.order.id", orderId), kv("app.payment.amount", Math.round(random.nextDouble() * 50_000) / 100.0),
                kv("app.payment.currency", "EUR"));
        pcur = t.postgres(pay, auth, "SELECT", "payment_methods", "SELECT id, provider, token FROM payment_methods WHERE customer_id = $1 AND active", user, pcur + micros(100), micros(700 + random.nextInt(1_000)), 1);
        long gw = payDur - micros(6_000);
        Span.Builder gateway = t.clientSpan(pay, auth, "POST", "https://api.paygateway.example/v2/authorizations", "api.paygateway.example", 443, status == 200 ? 200 : 502, user, pcur, gw);
        if (t.error) {
            t.fail(gateway, "java.net.http.HttpTimeoutException", "request timed out after 30000 ms");
            t.fail(auth, "io.spoor.demo.payment.GatewayException", "payment gateway unavailable: 502 Bad Gateway");
            t.markError(ps);
            t.markError(pc);
            t.markError(orderServer);
            t.markError(place);
            t.markError(feToOrder);
            t.markError(root);
            return; // no payment row, no order row
        }
        t.postgres(pay, auth, "INSERT", "payments", "INSERT INTO payments (order_id, amount, currency, status) VALUES ($1, $2, $3, $4)", user, pcur + gw + micros(100), micros(1_000 + random.nextInt(2_000)), 1);
        oc += payDur + micros(100);
        oc = t.postgres(os, place, "INSERT", "orders", "INSERT INTO orders (id, customer_id, total, status) VALUES ($1, $2, $3, $4)", user, oc, micros(1_200 + random.nextInt(2_000)), 1);
        t.redis(os, place, "DEL", "DEL cart:" + user, user, oc, micros(200 + random.nextInt(300)));
    }

    /** GET /api/products/{id}: ~11 spans; errors are a database timeout in inventory-service. */
    private void productPage(Trace t) {
        Instance fe = frontend.pick(random);
        Instance os = orders.pick(random);
        Instance inv = inventory.pick(random);
        String user = userId();
        String sku = sku();
        Span.Builder root = t.serverSpan(fe, null, "GET", "/api/products/" + sku, "/api/products/{id}", t.error ? 500 : 200, user, t.start, millis(25 + random.nextInt(60)));
        long c = t.start + micros(300);
        c = t.redis(fe, root, "GET", "GET session:" + user, user, c, micros(300 + random.nextInt(400)));
        long d = micros(6_000 + random.nextInt(8_000));
        Span.Builder ic = t.clientSpan(fe, root, "GET", "http://inventory-service:8080/inventory/" + sku, "inventory-service", 8080, t.error ? 500 : 200, user, c, d);
        Span.Builder is = t.serverSpan(inv, ic, "GET", "/inventory/" + sku, "/inventory/{sku}", t.error ? 500 : 200, user, c + micros(300), d - micros(600));
        long i = c + micros(500);
        i = t.redis(inv, is, "HGET", "HGET stock " + sku, user, i, micros(200 + random.nextInt(300)));
        t.postgres(inv, is, "SELECT", "inventory", "SELECT sku, available, reserved FROM inventory WHERE sku = $1", user, i, d - micros(1_500), 1);
        if (t.error) {
            Span.Builder db = t.out.get(t.out.size() - 1).builder;
            t.fail(db, "org.postgresql.util.PSQLException", "ERROR: canceling statement due to statement timeout");
            t.markError(is);
            t.markError(ic);
            t.markError(root);
            return;
        }
        c += d + micros(100);
        long rd = micros(4_000 + random.nextInt(5_000));
        Span.Builder oc = t.clientSpan(fe, root, "GET", "http://order-service:8080/orders?customer=" + user + "&limit=5", "order-service", 8080, 200, user, c, rd);
        Span.Builder os2 = t.serverSpan(os, oc, "GET", "/orders", "/orders", 200, user, c + micros(300), rd - micros(600));
        t.postgres(os, os2, "SELECT", "orders", "SELECT id, total, status, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 5", user, c + micros(500), rd - micros(1_200), random.nextInt(6));
        c += rd + micros(100);
        t.internal(fe, root, "render product_page", c, micros(1_000 + random.nextInt(3_000)), user, kv("app.product.sku", sku));
    }

    /** GET /api/cart: ~16–25 spans; errors are a Redis connection failure in order-service. */
    private void cartPage(Trace t) {
        Instance fe = frontend.pick(random);
        Instance os = orders.pick(random);
        Instance inv = inventory.pick(random);
        String user = userId();
        int items = 2 + random.nextInt(4);
        Span.Builder root = t.serverSpan(fe, null, "GET", "/api/cart", "/api/cart", t.error ? 500 : 200, user, t.start, millis(30 + random.nextInt(80)));
        long c = t.start + micros(300);
        c = t.redis(fe, root, "GET", "GET session:" + user, user, c, micros(300 + random.nextInt(400)));
        long d = durOf(root) - micros(3_000);
        Span.Builder oc = t.clientSpan(fe, root, "GET", "http://order-service:8080/cart/" + user, "order-service", 8080, t.error ? 500 : 200, user, c, d);
        Span.Builder os2 = t.serverSpan(os, oc, "GET", "/cart/" + user, "/cart/{customerId}", t.error ? 500 : 200, user, c + micros(300), d - micros(600));
        long o = c + micros(500);
        o = t.redis(os, os2, "HGETALL", "HGETALL cart:" + user, user, o, micros(300 + random.nextInt(400)));
        if (t.error) {
            Span.Builder r = t.out.get(t.out.size() - 1).builder;
            t.fail(r, "io.lettuce.core.RedisConnectionException", "Unable to connect to redis/10.0.3.7:6379");
            t.markError(os2);
            t.markError(oc);
            t.markError(root);
            return;
        }
        long step = (d - micros(3_000)) / items;
        for (int k = 0; k < items; k++) {
            String sku = sku();
            Span.Builder ic = t.clientSpan(os, os2, "GET", "http://inventory-service:8080/inventory/" + sku, "inventory-service", 8080, 200, user, o, step - micros(100));
            Span.Builder is = t.serverSpan(inv, ic, "GET", "/inventory/" + sku, "/inventory/{sku}", 200, user, o + micros(200), step - micros(500));
            t.redis(inv, is, "HGET", "HGET stock " + sku, user, o + micros(300), micros(200 + random.nextInt(300)));
            o += step;
        }
        t.postgres(os, os2, "SELECT", "products", "SELECT sku, name, price_cents FROM products WHERE sku = ANY($1)", user, o, micros(900 + random.nextInt(1_500)), items);
    }

    // ---------------------------------------------------------------- span helpers

    private final class Trace {
        final ByteString traceId;
        final boolean error;
        final long start;
        final List<Emitted> out = new ArrayList<>(26);

        Trace(ByteString traceId, boolean error, long start) {
            this.traceId = traceId;
            this.error = error;
            this.start = start;
        }

        Span.Builder add(Instance instance, InstrumentationScope scope, Span.Builder parent, String name, SpanKind kind,
                         long start, long duration) {
            Span.Builder b = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(randomSpanId())
                    .setName(name)
                    .setKind(kind)
                    .setFlags(0x101) // sampled, has-remote-flag info (what current SDKs send)
                    .setStartTimeUnixNano(start)
                    .setEndTimeUnixNano(start + Math.max(duration, micros(50)));
            if (parent != null) {
                b.setParentSpanId(parent.getSpanId());
            }
            out.add(new Emitted(instance, scope, b));
            return b;
        }

        Span.Builder serverSpan(Instance in, Span.Builder parent, String method, String path, String route, int status,
                                String user, long start, long duration) {
            Span.Builder b = add(in, HTTP_SERVER, parent, method + " " + route, SpanKind.SPAN_KIND_SERVER, start, duration);
            b.addAttributes(kv("http.request.method", method))
                    .addAttributes(kv("url.path", path))
                    .addAttributes(kv("url.scheme", "http"))
                    .addAttributes(kv("http.route", route))
                    .addAttributes(kv("http.response.status_code", status))
                    .addAttributes(kv("server.address", in.service.name))
                    .addAttributes(kv("server.port", 8080))
                    .addAttributes(kv("client.address", parent == null ? clientIp() : "10.0.2." + (10 + random.nextInt(40))))
                    .addAttributes(kv("network.protocol.version", parent == null ? "2" : "1.1"))
                    .addAttributes(kv("user_agent.original", parent == null ? userAgent() : "Java-http-client/21.0.8"))
                    .addAttributes(kv("user.id", user));
            if (status >= 500) {
                b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
                b.addAttributes(kv("error.type", String.valueOf(status)));
            }
            return b;
        }

        Span.Builder clientSpan(Instance in, Span.Builder parent, String method, String url, String host, int port,
                                int status, String user, long start, long duration) {
            Span.Builder b = add(in, HTTP_CLIENT, parent, method, SpanKind.SPAN_KIND_CLIENT, start, duration);
            b.addAttributes(kv("http.request.method", method))
                    .addAttributes(kv("url.full", url))
                    .addAttributes(kv("server.address", host))
                    .addAttributes(kv("server.port", port))
                    .addAttributes(kv("http.response.status_code", status))
                    .addAttributes(kv("network.protocol.version", "1.1"))
                    .addAttributes(kv("network.peer.address", "10.0.1." + (2 + random.nextInt(30))))
                    .addAttributes(kv("network.peer.port", port))
                    .addAttributes(kv("thread.name", "http-client-worker-" + random.nextInt(8)))
                    .addAttributes(kv("user.id", user));
            if (status >= 400) {
                b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
                b.addAttributes(kv("error.type", String.valueOf(status)));
            }
            return b;
        }

        /** Returns the end of the new span plus a small gap: where the next sequential call starts. */
        long postgres(Instance in, Span.Builder parent, String op, String table, String query, String user,
                      long start, long duration, int rows) {
            Span.Builder b = add(in, JDBC, parent, op + " " + table, SpanKind.SPAN_KIND_CLIENT, start, duration);
            b.addAttributes(kv("db.system.name", "postgresql"))
                    .addAttributes(kv("db.namespace", "shop"))
                    .addAttributes(kv("db.operation.name", op))
                    .addAttributes(kv("db.collection.name", table))
                    .addAttributes(kv("db.query.text", query))
                    .addAttributes(kv("db.response.returned_rows", rows))
                    .addAttributes(kv("server.address", "postgres"))
                    .addAttributes(kv("server.port", 5432))
                    .addAttributes(kv("network.peer.address", "10.0.3.5"))
                    .addAttributes(kv("user.id", user));
            return start + duration + micros(80);
        }

        long redis(Instance in, Span.Builder parent, String op, String query, String user, long start, long duration) {
            Span.Builder b = add(in, LETTUCE, parent, op, SpanKind.SPAN_KIND_CLIENT, start, duration);
            b.addAttributes(kv("db.system.name", "redis"))
                    .addAttributes(kv("db.namespace", "0"))
                    .addAttributes(kv("db.operation.name", op))
                    .addAttributes(kv("db.query.text", query))
                    .addAttributes(kv("server.address", "redis"))
                    .addAttributes(kv("server.port", 6379))
                    .addAttributes(kv("network.peer.address", "10.0.3.7"))
                    .addAttributes(kv("network.peer.port", 6379))
                    .addAttributes(kv("user.id", user));
            return start + duration + micros(60);
        }

        Span.Builder internal(Instance in, Span.Builder parent, String name, long start, long duration, String user,
                              KeyValue... extra) {
            Span.Builder b = add(in, APP, parent, name, SpanKind.SPAN_KIND_INTERNAL, start, duration);
            int dot = name.indexOf('.');
            b.addAttributes(kv("code.function.name", dot > 0 && Character.isUpperCase(name.charAt(0))
                            ? "io.spoor.demo." + name : "io.spoor.demo." + in.service.name.replace("-", "") + "." + name.replace(' ', '_')))
                    .addAttributes(kv("code.file.path", in.service.name + "/src/main/java/io/spoor/demo/Handler.java"))
                    .addAttributes(kv("code.line.number", 40 + random.nextInt(400)))
                    .addAttributes(kv("thread.name", "armeria-common-worker-epoll-3-" + random.nextInt(4)))
                    .addAttributes(kv("user.id", user));
            for (KeyValue kv : extra) {
                b.addAttributes(kv);
            }
            return b;
        }

        void fail(Span.Builder b, String type, String message) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
            b.addAttributes(kv("error.type", type));
            b.addEvents(Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(b.getEndTimeUnixNano() - micros(20))
                    .addAttributes(kv("exception.type", type))
                    .addAttributes(kv("exception.message", message))
                    .addAttributes(kv("exception.stacktrace", stackTrace(type, message))));
        }

        void markError(Span.Builder b) {
            if (b.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR) {
                b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
            }
        }
    }

    private static long durOf(Span.Builder b) {
        return b.getEndTimeUnixNano() - b.getStartTimeUnixNano();
    }

    private static String stackTrace(String type, String message) {
        return type + ": " + message + "\n"
                + "\tat io.spoor.demo.payment.GatewayClient.authorize(GatewayClient.java:118)\n"
                + "\tat io.spoor.demo.payment.PaymentService.authorize(PaymentService.java:64)\n"
                + "\tat io.spoor.demo.payment.PaymentController.create(PaymentController.java:41)\n"
                + "\tat com.linecorp.armeria.internal.server.annotation.AnnotatedService.invoke(AnnotatedService.java:382)\n"
                + "\tat com.linecorp.armeria.internal.server.annotation.AnnotatedService.serve0(AnnotatedService.java:296)\n"
                + "\tat com.linecorp.armeria.server.HttpServerHandler.serve0(HttpServerHandler.java:371)\n"
                + "\tat io.netty.util.concurrent.AbstractEventExecutor.runTask(AbstractEventExecutor.java:173)\n"
                + "\tat io.netty.channel.epoll.EpollEventLoop.run(EpollEventLoop.java:407)\n"
                + "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n";
    }

    // ---------------------------------------------------------------- values

    private ByteString randomTraceId() {
        byte[] id = new byte[16];
        for (int i = 0; i < 16; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8; j++) {
                id[i + j] = (byte) (v >>> (56 - 8 * j));
            }
        }
        id[15] |= 1; // never all zero
        return ByteString.copyFrom(id);
    }

    private ByteString randomSpanId() {
        long v = random.nextLong() | 1;
        byte[] id = new byte[8];
        for (int j = 0; j < 8; j++) {
            id[j] = (byte) (v >>> (56 - 8 * j));
        }
        return ByteString.copyFrom(id);
    }

    private String userId() {
        return "u" + (100_000 + random.nextInt(900_000));
    }

    private String sku() {
        return "SKU-" + (10_000 + random.nextInt(5_000));
    }

    private String clientIp() {
        return (80 + random.nextInt(100)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    };

    private String userAgent() {
        return USER_AGENTS[random.nextInt(USER_AGENTS.length)];
    }

    private static long millis(long ms) {
        return ms * 1_000_000L;
    }

    private static long micros(long us) {
        return us * 1_000L;
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue kv(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    private static InstrumentationScope scope(String name, String version) {
        return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
    }

    // ---------------------------------------------------------------- services and instances

    private record Emitted(Instance instance, InstrumentationScope scope, Span.Builder builder) {
    }

    private static final class Instance {
        final Service service;
        final Resource resource;

        Instance(Service service, int index, SplittableRandom random) {
            this.service = service;
            String host = service.name + "-" + Long.toHexString(random.nextLong() & 0xffffffffL) + "-" + index;
            this.resource = Resource.newBuilder()
                    .addAttributes(kv("service.name", service.name))
                    .addAttributes(kv("service.namespace", "shop"))
                    .addAttributes(kv("service.version", service.version))
                    .addAttributes(kv("service.instance.id", new UUID(random.nextLong(), random.nextLong()).toString()))
                    .addAttributes(kv("deployment.environment.name", "production"))
                    .addAttributes(kv("host.name", host))
                    .addAttributes(kv("host.arch", "amd64"))
                    .addAttributes(kv("os.type", "linux"))
                    .addAttributes(kv("process.pid", 1))
                    .addAttributes(kv("process.runtime.name", "OpenJDK Runtime Environment"))
                    .addAttributes(kv("process.runtime.version", "21.0.8+9-LTS"))
                    .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                    .addAttributes(kv("telemetry.sdk.language", "java"))
                    .addAttributes(kv("telemetry.sdk.version", "1.68.0"))
                    .addAttributes(kv("telemetry.distro.name", "opentelemetry-java-instrumentation"))
                    .addAttributes(kv("telemetry.distro.version", "2.22.0"))
                    .build();
        }
    }

    private final class Service {
        final String name;
        final String version;
        final List<Instance> instances = new ArrayList<>();

        Service(String name, String version, int instanceCount) {
            this.name = name;
            this.version = version;
            for (int i = 0; i < instanceCount; i++) {
                instances.add(new Instance(this, i, random));
            }
        }

        Instance pick(SplittableRandom r) {
            return instances.get(r.nextInt(instances.size()));
        }
    }
}
