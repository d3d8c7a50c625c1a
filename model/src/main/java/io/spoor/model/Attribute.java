package io.spoor.model;

import java.util.Objects;

public record Attribute(String key, AttributeValue value) {
    public Attribute {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
