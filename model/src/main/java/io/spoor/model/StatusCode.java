package io.spoor.model;

/** OTLP status codes, in OTLP's numbering. */
public enum StatusCode {
    UNSET, OK, ERROR;

    public static StatusCode fromWire(int value) {
        return value == 1 ? OK : value == 2 ? ERROR : UNSET;
    }

    public int wireValue() {
        return ordinal();
    }
}
