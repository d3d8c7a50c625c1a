package io.spoor.server.receiver;

/** How an export arrived; the {@code transport} tag of the receiver metrics ({@code zipkin}: the Zipkin receiver). */
public enum Transport {
    GRPC, HTTP, ZIPKIN;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
