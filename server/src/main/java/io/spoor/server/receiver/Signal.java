package io.spoor.server.receiver;

/** The three OTLP signals. Spoor stores traces; metrics and logs are answered politely and not stored. */
public enum Signal {
    TRACES("spans", "/v1/traces"), METRICS("metric data points", "/v1/metrics"), LOGS("log records", "/v1/logs");

    private final String items;
    private final String otlpHttpPath;

    Signal(String items, String otlpHttpPath) {
        this.items = items;
        this.otlpHttpPath = otlpHttpPath;
    }

    /** The OTLP/HTTP path that receives this signal. */
    public String otlpHttpPath() {
        return otlpHttpPath;
    }

    /** What one unit of this signal is called in messages. */
    public String items() {
        return items;
    }
}
