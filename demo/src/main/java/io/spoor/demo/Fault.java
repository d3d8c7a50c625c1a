package io.spoor.demo;

/**
 * What the traffic generator injects into an order, with the service where the failure starts and the
 * status the shopper sees.
 */
public enum Fault {
    NONE("none", "", 200),
    /** Paid with a card the issuer declines: the {@code charge card} span in payment-service fails (402). */
    PAYMENT_DECLINED("payment-declined", "payment-service", 402),
    /** An item kept in cold storage: inventory-service's stock query exceeds its 1 s timeout (503 at the edge). */
    INVENTORY_TIMEOUT("inventory-timeout", "inventory-service", 503),
    /** A big order of bulk items: order-service's one-query-per-item pricing misses its deadline (504). */
    SLOW_QUERY("slow-query", "order-service", 504),
    /** The FREESHIP coupon: a NullPointerException in order-service (500). */
    ORDER_BUG("order-bug", "order-service", 500);

    private final String label;
    private final String originService;
    private final int expectedStatus;

    Fault(String label, String originService, int expectedStatus) {
        this.label = label;
        this.originService = originService;
        this.expectedStatus = expectedStatus;
    }

    public String label() {
        return label;
    }

    public String originService() {
        return originService;
    }

    public int expectedStatus() {
        return expectedStatus;
    }
}
