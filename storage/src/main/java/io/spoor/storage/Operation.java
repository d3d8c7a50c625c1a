package io.spoor.storage;

import io.spoor.model.SpanKind;
import java.util.Objects;

/** A span name seen for a service, with the kind it was reported with. */
public record Operation(String name, SpanKind kind) {
    public Operation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
