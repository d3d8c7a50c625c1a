package io.spoor.model;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** An attribute value keeping its OTLP type (DESIGN: values). */
public sealed interface AttributeValue {

    /** A human-readable rendering, also used for tag search ({@code key=value}). */
    String asString();

    static AttributeValue of(String v) {
        return new StringValue(v);
    }

    static AttributeValue of(long v) {
        return new LongValue(v);
    }

    static AttributeValue of(boolean v) {
        return new BoolValue(v);
    }

    static AttributeValue of(double v) {
        return new DoubleValue(v);
    }

    record StringValue(String value) implements AttributeValue {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String asString() {
            return value;
        }
    }

    record BoolValue(boolean value) implements AttributeValue {
        @Override
        public String asString() {
            return Boolean.toString(value);
        }
    }

    record LongValue(long value) implements AttributeValue {
        @Override
        public String asString() {
            return Long.toString(value);
        }
    }

    record DoubleValue(double value) implements AttributeValue {
        @Override
        public String asString() {
            // Whole doubles print without ".0" so that a tag query "http.status_code=500" matches 500.0 too.
            if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
            return Double.toString(value);
        }
    }

    /** Raw bytes; compared by content (a record over an array would compare identity). */
    final class BytesValue implements AttributeValue {
        private final byte[] value;

        public BytesValue(byte[] value) {
            this.value = value.clone();
        }

        public byte[] value() {
            return value.clone();
        }

        /** The number of bytes, without the copy {@link #value()} makes. */
        public int length() {
            return value.length;
        }

        @Override
        public String asString() {
            return Base64.getEncoder().encodeToString(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BytesValue b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BytesValue[" + asString() + "]";
        }
    }

    record ArrayValue(List<AttributeValue> values) implements AttributeValue {
        public ArrayValue {
            values = List.copyOf(values);
        }

        @Override
        public String asString() {
            return values.stream().map(AttributeValue::asString).collect(Collectors.joining(",", "[", "]"));
        }
    }

    record MapValue(Attributes values) implements AttributeValue {
        public MapValue {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public String asString() {
            return values.asList().stream().map(a -> a.key() + "=" + a.value().asString())
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }
}
