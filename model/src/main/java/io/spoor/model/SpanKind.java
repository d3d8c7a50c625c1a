package io.spoor.model;

/** OTLP span kinds, in OTLP's numbering (the ordinal is the wire value). */
public enum SpanKind {
    UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

    private static final SpanKind[] VALUES = values();

    /** Unknown wire values map to UNSPECIFIED, as OTLP asks receivers to tolerate future enum values. */
    public static SpanKind fromWire(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : UNSPECIFIED;
    }

    public int wireValue() {
        return ordinal();
    }
}
