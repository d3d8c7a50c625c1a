package io.spoor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ordered list of attributes as received. Lookup is linear: spans carry ~10 attributes, where a
 * scan beats hashing and keeps the wire order for display.
 */
public record Attributes(List<Attribute> asList) {
    public static final Attributes EMPTY = new Attributes(List.of());

    public Attributes {
        asList = List.copyOf(asList);
    }

    public static Attributes of(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        List<Attribute> list = new ArrayList<>(keyValues.length / 2);
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            AttributeValue value = switch (v) {
                case AttributeValue av -> av;
                case String s -> AttributeValue.of(s);
                case Integer n -> AttributeValue.of(n.longValue());
                case Long n -> AttributeValue.of(n);
                case Boolean b -> AttributeValue.of(b);
                case Double d -> AttributeValue.of(d);
                default -> throw new IllegalArgumentException("unsupported attribute type: " + v.getClass());
            };
            list.add(new Attribute((String) keyValues[i], value));
        }
        return new Attributes(list);
    }

    public Optional<AttributeValue> get(String key) {
        for (Attribute a : asList) {
            if (a.key().equals(key)) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    public Optional<String> getString(String key) {
        return get(key).map(AttributeValue::asString);
    }

    public int size() {
        return asList.size();
    }

    public boolean isEmpty() {
        return asList.isEmpty();
    }
}
