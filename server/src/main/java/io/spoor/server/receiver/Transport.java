package io.spoor.server.receiver;

/** How an export arrived; the {@code transport} tag of the receiver metrics. */
public enum Transport {
    GRPC, HTTP;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
