package io.spoor.protocol.zipkin;

/**
 * Attribute names used by the Zipkin ⇄ model mapping (OpenTelemetry's Zipkin transformation, the generic
 * "mapping to non-OTLP" rules, and current semantic conventions for what Zipkin keeps in endpoints). docs/api.md
 * lists the whole mapping.
 */
public final class ZipkinMapping {
    /** remoteEndpoint.serviceName ⇄ {@code peer.service} (an explicit {@code peer.service} tag wins). */
    public static final String PEER_SERVICE = "peer.service";
    /** remoteEndpoint ipv4/ipv6 ⇄ {@code network.peer.address}, port ⇄ {@code network.peer.port}. */
    public static final String PEER_ADDRESS = "network.peer.address";
    public static final String PEER_PORT = "network.peer.port";
    /** localEndpoint ipv4/ipv6 ⇄ {@code network.local.address}, port ⇄ {@code network.local.port}. */
    public static final String LOCAL_ADDRESS = "network.local.address";
    public static final String LOCAL_PORT = "network.local.port";
    /** OTLP status ⇄ tags {@code otel.status_code} (OK / ERROR) and {@code error} (the description). */
    public static final String STATUS_CODE = "otel.status_code";
    public static final String STATUS_DESCRIPTION = "otel.status_description";
    public static final String ERROR = "error";
    public static final String SCOPE_NAME = "otel.scope.name";
    public static final String SCOPE_VERSION = "otel.scope.version";
    static final String LEGACY_SCOPE_NAME = "otel.library.name";
    static final String LEGACY_SCOPE_VERSION = "otel.library.version";
    public static final String DROPPED_ATTRIBUTES = "otel.dropped_attributes_count";
    public static final String DROPPED_EVENTS = "otel.dropped_events_count";
    public static final String DROPPED_LINKS = "otel.dropped_links_count";
    public static final String TRACE_STATE = "w3c.tracestate";
    /**
     * Marks the server half of a Zipkin span whose id the client half shares ({@code "shared": true}). Spoor keeps
     * span ids unique within a trace, so that half is stored under a derived id ({@link #sharedServerSpanId}) as a
     * child of the client half, as Jaeger's span-id deduper does; the Zipkin API gives it its original id back.
     */
    public static final String SHARED = io.spoor.model.SharedSpans.ATTRIBUTE;
    /** Zipkin's {@code debug} flag (force sampling), kept when true. */
    public static final String DEBUG = "zipkin.debug";
    /** Query-time warnings (clock skew) appear as this tag in the Zipkin API, which has no warnings field. */
    public static final String WARNINGS = "spoor.warnings";

    private ZipkinMapping() {
    }

    /** The id under which the server half of a shared span is stored ({@link io.spoor.model.SharedSpans}). */
    public static long sharedServerSpanId(long sharedId) {
        return io.spoor.model.SharedSpans.serverSpanId(sharedId);
    }
}
