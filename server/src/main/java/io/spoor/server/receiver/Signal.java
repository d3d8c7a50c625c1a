package io.spoor.server.receiver;

/** The three OTLP signals. Spoor stores traces; metrics and logs are answered politely and not stored. */
public enum Signal {
    TRACES("spans"), METRICS("metric data points"), LOGS("log records");

    private final String items;

    Signal(String items) {
        this.items = items;
    }

    /** What one unit of this signal is called in messages. */
    public String items() {
        return items;
    }
}
