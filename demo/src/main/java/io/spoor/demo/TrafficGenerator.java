package io.spoor.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shoppers: {@code POST /checkout} at a steady rate, most orders normal, a set fraction carrying each labelled
 * fault. Faults are spread evenly (each accrues its rate per request and fires when a whole request's worth is
 * due), so even a short run sees every one. Every answer is recorded with its label and the {@code X-Trace-Id}
 * the shop returned, one tab-separated line per request in {@code traffic.tsv}:
 * {@code epochMillis label status traceId spanId sampled latencyMs detail}.
 */
final class TrafficGenerator implements AutoCloseable {
    static final String NORMAL_CARD = "4242424242424242";
    static final String DECLINED_CARD = "4000000000000002";

    private final URI checkout;
    private final double rate;
    private final Map<Fault, Double> faultRates;
    private final Map<Fault, Double> credit = new EnumMap<>(Fault.class);
    private final Random random;
    private final BufferedWriter record;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "traffic");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicLong> counts = new TreeMap<>();
    private final AtomicLong sent = new AtomicLong();

    TrafficGenerator(URI frontend, double rate, Map<Fault, Double> faultRates, long seed, Path recordFile) throws IOException {
        this.checkout = frontend.resolve("/checkout");
        this.rate = rate;
        this.faultRates = faultRates;
        this.random = new Random(seed);
        this.record = Files.newBufferedWriter(recordFile, StandardCharsets.UTF_8);
        faultRates.keySet().forEach(f -> credit.put(f, 0.0));
    }

    void start() {
        long periodMicros = (long) (1_000_000 / rate);
        ticker.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
        ticker.scheduleAtFixedRate(this::report, 15, 15, TimeUnit.SECONDS);
    }

    private synchronized Fault nextFault() {
        Fault due = Fault.NONE;
        double best = 1.0 - 1e-9;
        for (Map.Entry<Fault, Double> e : faultRates.entrySet()) {
            double c = credit.merge(e.getKey(), e.getValue(), Double::sum);
            if (c >= best) {
                best = c;
                due = e.getKey();
            }
        }
        if (due != Fault.NONE) {
            credit.merge(due, -1.0, Double::sum);
        }
        return due;
    }

    private void tick() {
        Fault fault = nextFault();
        String body;
        synchronized (random) {
            body = order(fault, random);
        }
        sent.incrementAndGet();
        requests.submit(() -> send(fault, body));
    }

    /** A shopper's cart: JSON for {@code POST /checkout}. */
    static String order(Fault fault, Random random) {
        StringBuilder items = new StringBuilder();
        int n = fault == Fault.SLOW_QUERY ? 40 : 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String sku = fault == Fault.SLOW_QUERY
                    ? "BULK-%03d".formatted(1 + random.nextInt(60))
                    : "SKU-%04d".formatted(1 + random.nextInt(50));
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(sku).append("\",\"qty\":").append(1 + random.nextInt(3)).append('}');
        }
        if (fault == Fault.INVENTORY_TIMEOUT) {
            items.append(",{\"sku\":\"COLD-%03d\",\"qty\":1}".formatted(1 + random.nextInt(5)));
        }
        String card = fault == Fault.PAYMENT_DECLINED ? DECLINED_CARD : NORMAL_CARD;
        String coupon = fault == Fault.ORDER_BUG ? "FREESHIP" : random.nextInt(4) == 0 ? "WELCOME10" : "";
        return "{\"customerId\":\"cust-%04d\",\"items\":[%s],\"card\":\"%s\",\"coupon\":\"%s\"}"
                .formatted(random.nextInt(500), items, card, coupon);
    }

    private void send(Fault fault, String body) {
        long start = System.nanoTime();
        String line;
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(checkout).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            String detail = r.body().replaceAll("[\\t\\n\\r]", " ");
            line = String.join("\t", Long.toString(System.currentTimeMillis()), fault.label(), Integer.toString(r.statusCode()),
                    r.headers().firstValue("X-Trace-Id").orElse("-"), r.headers().firstValue("X-Span-Id").orElse("-"),
                    r.headers().firstValue("X-Trace-Sampled").orElse("-"), Long.toString(ms),
                    detail.length() > 300 ? detail.substring(0, 300) : detail);
            count(fault.label() + " " + r.statusCode());
        } catch (IOException | RuntimeException e) {
            line = String.join("\t", Long.toString(System.currentTimeMillis()), fault.label(), "0", "-", "-", "-",
                    Long.toString((System.nanoTime() - start) / 1_000_000), e.toString());
            count(fault.label() + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (record) {
            try {
                record.write(line);
                record.newLine();
                record.flush();
            } catch (IOException e) {
                // the record is best effort; the run goes on
            }
        }
    }

    private void count(String key) {
        synchronized (counts) {
            counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }

    void report() {
        StringBuilder sb = new StringBuilder("demo: traffic: " + sent.get() + " requests sent;");
        synchronized (counts) {
            counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v.get()));
        }
        System.out.println(sb);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        requests.shutdown();
        try {
            if (!requests.awaitTermination(10, TimeUnit.SECONDS)) {
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            requests.shutdownNow();
            Thread.currentThread().interrupt();
        }
        report();
        synchronized (record) {
            try {
                record.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
