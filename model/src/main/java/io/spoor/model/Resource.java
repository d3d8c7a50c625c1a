package io.spoor.model;

import java.util.Objects;

/**
 * The entity producing spans; {@code service.name} names the service. Shared by reference across a batch.
 * {@code droppedAttributesCount} is OTLP's {@code Resource.dropped_attributes_count} (unsigned): attributes the sender,
 * or Spoor's attribute count limit, left out.
 */
public record Resource(Attributes attributes, String schemaUrl, int droppedAttributesCount) {
    public static final String SERVICE_NAME = "service.name";
    /** What the OpenTelemetry SDKs report when a service forgot to name itself. */
    public static final String UNKNOWN_SERVICE = "unknown_service";
    public static final Resource EMPTY = new Resource(Attributes.EMPTY, "");

    public Resource {
        Objects.requireNonNull(attributes, "attributes");
        schemaUrl = schemaUrl == null ? "" : schemaUrl;
    }

    /** A resource with nothing dropped. */
    public Resource(Attributes attributes, String schemaUrl) {
        this(attributes, schemaUrl, 0);
    }

    public String serviceName() {
        return attributes.getString(SERVICE_NAME).filter(s -> !s.isEmpty()).orElse(UNKNOWN_SERVICE);
    }
}
