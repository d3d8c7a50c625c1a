package io.spoor.protocol.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;

/**
 * A thin layer over Jackson's streaming parser for the proto3 JSON mapping: typed scalar readers that accept
 * every form OTLP senders use (int64 as string or number, enums as number or name, null as absent) and
 * errors that name the field path and position. One instance per decode; not thread-safe.
 */
final class JsonInput {
    /**
     * Shared because a factory is thread-safe and costly to build. Field names are canonicalised per factory
     * (bounded symbol table) but not String.intern()ed, so nothing grows a JVM-global table.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final BigInteger UNSIGNED_LONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    final JsonParser p;

    JsonInput(JsonParser p) {
        this.p = p;
    }

    static JsonInput open(byte[] body) {
        try {
            return new JsonInput(FACTORY.createParser(body));
        } catch (IOException e) {
            throw new OtlpDecodeException("invalid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Moves to the first token. Returns false for an empty body or a top-level {@code null}, which OTLP
     * receivers treat as an empty export; otherwise the body must be an object.
     */
    boolean startDocument() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType("the request", "an object");
        }
        return true;
    }

    /** After the top-level object: anything else in the body is malformed. */
    void endDocument() throws IOException {
        if (p.nextToken() != null) {
            throw error("unexpected content after the request object");
        }
    }

    /**
     * Advances to the value of the next field of the current object and returns the field's name, or null at
     * the end of the object. Fields whose value is {@code null} are passed over: null means absent.
     */
    String nextField() throws IOException {
        while (p.nextToken() != JsonToken.END_OBJECT) {
            // Inside an object Jackson only yields FIELD_NAME here; the value follows.
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NULL) {
                return name;
            }
        }
        return null;
    }

    /** The current value is an object: true; null: false (absent); anything else is an error. */
    boolean isObject(String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw wrongType(field, "an object");
    }

    /** The current value is an array: true; null: false (absent); anything else is an error. */
    boolean isArray(String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw wrongType(field, "an array");
    }

    /** Advances to the next array element; false at the end of the array. Elements must be objects. */
    boolean nextObjectElement(String field) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType(field + " element", "an object");
        }
        return true;
    }

    /** Skips the current value whatever it is (unknown fields must be ignored, nested ones included). */
    void skip() throws IOException {
        p.skipChildren();
    }

    String string(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        throw wrongType(field, "a string");
    }

    boolean bool(String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            case VALUE_STRING -> switch (p.getText()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw wrongType(field, "a boolean");
            };
            default -> throw wrongType(field, "a boolean");
        };
    }

    /** int64: a JSON number or a decimal string. */
    long int64(String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw wrongType(field, "a 64-bit integer");
                }
                yield p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> wholeNumber(field, Long.MIN_VALUE, Long.MAX_VALUE);
            case VALUE_STRING -> {
                try {
                    yield Long.parseLong(p.getText());
                } catch (NumberFormatException e) {
                    throw wrongType(field, "a 64-bit integer");
                }
            }
            case VALUE_NULL -> 0;
            default -> throw wrongType(field, "a 64-bit integer");
        };
    }

    /** fixed64 / uint64 (timestamps): like int64 but unsigned, so values above 2^63 keep their bits. */
    long uint64(String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger v = p.getBigIntegerValue();
                    if (v.signum() < 0 || v.compareTo(UNSIGNED_LONG_MAX) > 0) {
                        throw wrongType(field, "an unsigned 64-bit integer");
                    }
                    yield v.longValue();
                }
                long v = p.getLongValue();
                if (v < 0) {
                    throw wrongType(field, "an unsigned 64-bit integer");
                }
                yield v;
            }
            case VALUE_NUMBER_FLOAT -> wholeNumber(field, 0, Long.MAX_VALUE);
            case VALUE_STRING -> {
                try {
                    yield Long.parseUnsignedLong(p.getText());
                } catch (NumberFormatException e) {
                    throw wrongType(field, "an unsigned 64-bit integer");
                }
            }
            case VALUE_NULL -> 0;
            default -> throw wrongType(field, "an unsigned 64-bit integer");
        };
    }

    /** uint32 / fixed32 (counts, flags): a number or a decimal string, kept as the same 32 bits. */
    int uint32(String field) throws IOException {
        long v = switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.INT
                    || p.getNumberType() == JsonParser.NumberType.LONG ? p.getLongValue() : -1;
            case VALUE_NUMBER_FLOAT -> wholeNumber(field, 0, 0xFFFF_FFFFL);
            case VALUE_STRING -> {
                try {
                    yield Long.parseLong(p.getText());
                } catch (NumberFormatException e) {
                    yield -1;
                }
            }
            case VALUE_NULL -> 0;
            default -> -1;
        };
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw wrongType(field, "an unsigned 32-bit integer");
        }
        return (int) v;
    }

    /**
     * An enum: its number, or its proto name looked up in {@code names} (index = number). Unknown names and
     * numbers map to 0 (the UNSPECIFIED/UNSET value), as OTLP asks receivers to tolerate future values.
     */
    int enumValue(String field, String[] names) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() != JsonParser.NumberType.INT) {
                    yield 0;
                }
                yield p.getIntValue();
            }
            case VALUE_STRING -> {
                String text = p.getText();
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(text)) {
                        yield i;
                    }
                }
                try {
                    yield Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    yield 0;
                }
            }
            case VALUE_NULL -> 0;
            default -> throw wrongType(field, "an enum number or name");
        };
    }

    /** double: a number, or a string holding a number, "NaN", "Infinity" or "-Infinity". */
    double float64(String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> {
                String text = p.getText();
                try {
                    // Double.parseDouble accepts "NaN", "Infinity", "-Infinity" as the proto3 mapping writes them,
                    // but also Java-only forms like "1d" or hex floats; refuse those by a cheap check.
                    char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
                    if (last == 'd' || last == 'D' || last == 'f' || last == 'F' || text.contains("x")
                            || text.contains("X")) {
                        throw new NumberFormatException();
                    }
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw wrongType(field, "a double");
                }
            }
            case VALUE_NULL -> 0;
            default -> throw wrongType(field, "a double");
        };
    }

    /** bytes: base64, standard or URL-safe alphabet, padding optional (as the proto3 mapping allows). */
    byte[] base64(String field) throws IOException {
        String text = string(field);
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw wrongType(field, "base64");
        }
    }

    private long wholeNumber(String field, long min, long max) throws IOException {
        double d = p.getDoubleValue();
        if (d != Math.rint(d) || d < min || d > max) {
            throw wrongType(field, "an integer");
        }
        return (long) d;
    }

    OtlpDecodeException wrongType(String field, String expected) {
        return error("'" + field + "' must be " + expected + ", got " + describeCurrent() + " (at " + path() + ")");
    }

    OtlpDecodeException error(String message) {
        JsonLocation loc = p.currentTokenLocation();
        return new OtlpDecodeException(
                "invalid OTLP JSON at line " + loc.getLineNr() + " column " + loc.getColumnNr() + ": " + message, null);
    }

    /** Turns Jackson's own parse errors (syntax, limits) into the module's exception. */
    OtlpDecodeException malformed(JsonProcessingException e) {
        // Limit violations (nesting depth, number length) carry no location of their own.
        JsonLocation loc = e.getLocation() != null ? e.getLocation() : p.currentLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
        // Jackson names a redacted source in nested locations; it tells the client nothing.
        String detail = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;\\]]*; ", "[");
        return new OtlpDecodeException("invalid JSON" + where + ": " + detail, e);
    }

    /** JSON Pointer of the current value, e.g. /resourceSpans/0/scopeSpans/0/spans/3/startTimeUnixNano. */
    private String path() {
        JsonStreamContext ctx = p.getParsingContext();
        JsonToken t = p.currentToken();
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && ctx.getParent() != null) {
            ctx = ctx.getParent(); // a container value has already opened its own context
        }
        String pointer = ctx.pathAsPointer().toString();
        return pointer.isEmpty() ? "/" : pointer;
    }

    private String describeCurrent() {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> {
                String text;
                try {
                    text = p.getText();
                } catch (IOException e) {
                    text = "?";
                }
                yield "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String text;
                try {
                    text = p.getText();
                } catch (IOException e) {
                    text = "?";
                }
                yield "the number " + text;
            }
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
