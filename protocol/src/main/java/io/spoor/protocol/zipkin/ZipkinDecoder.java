package io.spoor.protocol.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.spoor.model.Span;
import java.io.IOException;
import java.util.List;

/**
 * Decodes a Zipkin v2 report ({@code POST /api/v2/spans}) into model spans: JSON (a list of spans, zipkin2-api.yaml)
 * or proto3 ({@code zipkin.proto3.ListOfSpans}). Any invalid span fails the whole report with
 * {@link ZipkinDecodeException}, as Zipkin's own server does. Stateless and thread-safe.
 */
public final class ZipkinDecoder {
    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private ZipkinDecoder() {
    }

    // ---------------------------------------------------------------- JSON

    public static List<Span> decodeJson(byte[] body) {
        return decodeJson(body, 0, body.length);
    }

    /**
     * The same from {@code body[offset, offset + length)}: e.g. the backing array of a pooled network buffer, so that
     * a report is never copied into an array of its own.
     */
    public static List<Span> decodeJson(byte[] body, int offset, int length) {
        if (length == 0) {
            return List.of();
        }
        try {
            return decodeJson(JSON.createParser(body, offset, length));
        } catch (IOException e) {
            throw new ZipkinDecodeException("malformed JSON: " + e.getMessage(), e);
        }
    }

    private static List<Span> decodeJson(JsonParser parser) {
        ZipkinToModel out = new ZipkinToModel();
        ZipkinFields f = new ZipkinFields();
        int index = 0;
        try (JsonParser p = parser) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return List.of();
            }
            if (t != JsonToken.START_ARRAY) {
                throw new ZipkinDecodeException("expected a JSON list of spans at line " + line(p) + ", got " + t);
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new ZipkinDecodeException("span " + index + ": expected a JSON object, got " + t);
                }
                f.reset();
                readSpan(p, f, index);
                out.add(f, index);
                index++;
            }
            if (p.nextToken() != null) {
                throw new ZipkinDecodeException("unexpected content after the list of spans");
            }
        } catch (JsonParseException e) {
            throw new ZipkinDecodeException("malformed JSON at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr() + " (span " + index + "): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ZipkinDecodeException("malformed JSON (span " + index + "): " + e.getMessage(), e);
        }
        return out.spans;
    }

    private static int line(JsonParser p) {
        return p.currentLocation().getLineNr();
    }

    private static void readSpan(JsonParser p, ZipkinFields f, int index) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "traceId" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw bad(index, field, "must be a string");
                    }
                    // parsed from the parser's characters: an id never becomes a String unless it is bad
                    char[] chars = p.getTextCharacters();
                    int off = p.getTextOffset();
                    int n = p.getTextLength();
                    if (n == 0 || n > 32) {
                        throw bad(index, field, "must be 16 or 32 hex characters, got " + n);
                    }
                    try {
                        if (n > 16) {
                            f.traceIdHigh = parseHex(chars, off, off + n - 16);
                            f.traceIdLow = parseHex(chars, off + n - 16, off + n);
                        } else {
                            f.traceIdLow = parseHex(chars, off, off + n);
                        }
                    } catch (IllegalArgumentException e) {
                        throw bad(index, field, "'" + abbreviate(new String(chars, off, n)) + "' is not hex");
                    }
                    f.hasTraceId = true;
                }
                case "id" -> f.id = spanId(p, index, field);
                case "parentId" -> f.parentId = spanId(p, index, field);
                case "name" -> f.name = string(p, index, field);
                case "kind" -> f.kind = string(p, index, field);
                case "timestamp" -> {
                    f.timestampMicros = micros(p, index, field);
                    f.hasTimestamp = f.timestampMicros != 0;
                }
                case "duration" -> f.durationMicros = micros(p, index, field);
                case "localEndpoint" -> endpoint(p, f.local, index, LOCAL_ENDPOINT);
                case "remoteEndpoint" -> endpoint(p, f.remote, index, REMOTE_ENDPOINT);
                case "annotations" -> annotations(p, f, index);
                case "tags" -> tags(p, f, index);
                case "debug" -> f.debug = bool(p, index, field);
                case "shared" -> f.shared = bool(p, index, field);
                default -> p.skipChildren();
            }
        }
    }

    private static String string(JsonParser p, int index, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw bad(index, field, "must be a string");
        }
        return p.getText();
    }



    private static boolean bool(JsonParser p, int index, String field) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw bad(index, field, "must be true or false");
        };
    }

    private static long micros(JsonParser p, int index, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = p.getLongValue();
            if (v < 0) {
                throw bad(index, field, "must not be negative");
            }
            return v;
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d >= 0 && d < 9.2e18 && d == Math.rint(d)) {
                return (long) d;
            }
        }
        throw bad(index, field, "must be a whole number of microseconds");
    }

    /** An endpoint field's name and its members' names as errors name them, built once rather than per span. */
    private record EndpointNames(String field, String serviceName, String ipv4, String ipv6, String port) {
        EndpointNames(String field) {
            this(field, field + ".serviceName", field + ".ipv4", field + ".ipv6", field + ".port");
        }
    }

    private static final EndpointNames LOCAL_ENDPOINT = new EndpointNames("localEndpoint");
    private static final EndpointNames REMOTE_ENDPOINT = new EndpointNames("remoteEndpoint");

    private static void endpoint(JsonParser p, ZipkinFields.Endpoint e, int index, EndpointNames names)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(index, names.field(), "must be an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "serviceName" -> e.serviceName = string(p, index, names.serviceName());
                case "ipv4" -> e.ipv4 = string(p, index, names.ipv4());
                case "ipv6" -> e.ipv6 = string(p, index, names.ipv6());
                case "port" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > 65535) {
                        throw bad(index, names.port(), "must be a port number");
                    }
                    e.port = p.getIntValue();
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void annotations(JsonParser p, ZipkinFields f, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad(index, "annotations", "must be a list");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad(index, "annotations", "must hold objects");
            }
            long ts = -1;
            String value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "timestamp" -> ts = micros(p, index, "annotations.timestamp");
                    case "value" -> value = string(p, index, "annotations.value");
                    default -> p.skipChildren();
                }
            }
            if (ts <= 0 || value == null) {
                throw bad(index, "annotations", "each needs a timestamp and a value");
            }
            f.annotationTimestamps.add(ts);
            f.annotationValues.add(value);
        }
    }

    private static void tags(JsonParser p, ZipkinFields f, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(index, "tags", "must be an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            String value = switch (v) {
                case VALUE_STRING -> p.getText();
                // Zipkin's own reader accepts numbers and booleans as tag values and keeps their text
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> null;
                default -> throw bad(index, "tags." + key, "must be a string");
            };
            if (value != null) {
                f.tagKeys.add(key);
                f.tagValues.add(value);
            }
        }
    }

    // ---------------------------------------------------------------- proto3

    /** {@code zipkin.proto3.ListOfSpans}: field 1, repeated Span. */
    public static List<Span> decodeProto3(byte[] body) {
        ZipkinToModel out = new ZipkinToModel();
        ZipkinFields f = new ZipkinFields();
        int index = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (tag == (1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int length = in.readRawVarint32();
                    int old = in.pushLimit(length);
                    f.reset();
                    readProtoSpan(in, f, index);
                    in.popLimit(old);
                    out.add(f, index);
                    index++;
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ZipkinDecodeException("malformed protobuf (span " + index + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ZipkinDecodeException("malformed protobuf (span " + index + "): " + e.getMessage(), e);
        }
        return out.spans;
    }

    private static void readProtoSpan(CodedInputStream in, ZipkinFields f, int index) throws IOException {
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    byte[] id = bytes(in, tag, index, "trace_id");
                    if (id.length == 16) {
                        f.traceIdHigh = toLong(id, 0);
                        f.traceIdLow = toLong(id, 8);
                    } else if (id.length == 8) {
                        f.traceIdLow = toLong(id, 0);
                    } else {
                        throw bad(index, "trace_id", "must be 8 or 16 bytes, got " + id.length);
                    }
                    f.hasTraceId = true;
                }
                case 2 -> f.parentId = protoSpanId(bytes(in, tag, index, "parent_id"), index, "parent_id");
                case 3 -> f.id = protoSpanId(bytes(in, tag, index, "id"), index, "id");
                case 4 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, index, "kind");
                    int k = in.readEnum();
                    f.kind = switch (k) {
                        case 1 -> "CLIENT";
                        case 2 -> "SERVER";
                        case 3 -> "PRODUCER";
                        case 4 -> "CONSUMER";
                        default -> "";
                    };
                }
                case 5 -> f.name = string(in, tag, index, "name");
                case 6 -> {
                    expect(tag, WireFormat.WIRETYPE_FIXED64, index, "timestamp");
                    f.timestampMicros = in.readFixed64();
                    f.hasTimestamp = f.timestampMicros != 0;
                }
                case 7 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, index, "duration");
                    f.durationMicros = in.readUInt64();
                }
                case 8 -> protoEndpoint(in, tag, f.local, index, "local_endpoint");
                case 9 -> protoEndpoint(in, tag, f.remote, index, "remote_endpoint");
                case 10 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, index, "annotations");
                    int old = in.pushLimit(in.readRawVarint32());
                    long ts = 0;
                    String value = "";
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        if (t == (1 << 3 | WireFormat.WIRETYPE_FIXED64)) {
                            ts = in.readFixed64();
                        } else if (t == (2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                            value = in.readStringRequireUtf8();
                        } else if (!in.skipField(t)) {
                            break;
                        }
                    }
                    in.popLimit(old);
                    if (ts <= 0) {
                        throw bad(index, "annotations", "each needs a timestamp");
                    }
                    f.annotationTimestamps.add(ts);
                    f.annotationValues.add(value);
                }
                case 11 -> {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, index, "tags");
                    int old = in.pushLimit(in.readRawVarint32());
                    String key = "";
                    String value = "";
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        if (t == (1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                            key = in.readStringRequireUtf8();
                        } else if (t == (2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                            value = in.readStringRequireUtf8();
                        } else if (!in.skipField(t)) {
                            break;
                        }
                    }
                    in.popLimit(old);
                    f.tagKeys.add(key);
                    f.tagValues.add(value);
                }
                case 12 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, index, "debug");
                    f.debug = in.readBool();
                }
                case 13 -> {
                    expect(tag, WireFormat.WIRETYPE_VARINT, index, "shared");
                    f.shared = in.readBool();
                }
                default -> {
                    if (!in.skipField(tag)) {
                        return;
                    }
                }
            }
        }
    }

    private static void protoEndpoint(CodedInputStream in, int tag, ZipkinFields.Endpoint e, int index, String field)
            throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, index, field);
        int old = in.pushLimit(in.readRawVarint32());
        while (!in.isAtEnd()) {
            int t = in.readTag();
            switch (t >>> 3) {
                case 1 -> e.serviceName = string(in, t, index, field + ".service_name");
                case 2 -> e.ipv4 = ip(bytes(in, t, index, field + ".ipv4"), 4, index, field + ".ipv4");
                case 3 -> e.ipv6 = ip(bytes(in, t, index, field + ".ipv6"), 16, index, field + ".ipv6");
                case 4 -> {
                    expect(t, WireFormat.WIRETYPE_VARINT, index, field + ".port");
                    int port = in.readInt32();
                    if (port < 0 || port > 65535) {
                        throw bad(index, field + ".port", "must be a port number");
                    }
                    e.port = port;
                }
                default -> {
                    if (!in.skipField(t)) {
                        break;
                    }
                }
            }
        }
        in.popLimit(old);
    }

    private static String ip(byte[] b, int expected, int index, String field) {
        if (b.length == 0) {
            return "";
        }
        if (b.length != expected) {
            throw bad(index, field, "must be " + expected + " bytes, got " + b.length);
        }
        if (expected == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return ipv6(b);
    }

    /** RFC 5952 text: lower-case hex, the longest run (two or more) of zero groups as {@code ::}, as Zipkin writes. */
    static String ipv6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static void expect(int tag, int wireType, int index, String field) {
        if ((tag & 7) != wireType) {
            throw bad(index, field, "has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    private static byte[] bytes(CodedInputStream in, int tag, int index, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, index, field);
        return in.readByteArray();
    }

    private static String string(CodedInputStream in, int tag, int index, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, index, field);
        return in.readStringRequireUtf8();
    }

    private static long protoSpanId(byte[] b, int index, String field) {
        if (b.length == 0) {
            return 0;
        }
        if (b.length != 8) {
            throw bad(index, field, "must be 8 bytes, got " + b.length);
        }
        return toLong(b, 0);
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    // ---------------------------------------------------------------- shared helpers

    /** Zipkin's ids are 1–16 lower-hex characters, left-padded with zeros (upper case is accepted too). */
    private static long spanId(JsonParser p, int index, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw bad(index, field, "must be a string");
        }
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int n = p.getTextLength();
        if (n == 0 || n > 16) {
            throw bad(index, field, "must be 16 hex characters, got " + n);
        }
        try {
            return parseHex(chars, off, off + n);
        } catch (IllegalArgumentException e) {
            throw bad(index, field, "'" + abbreviate(new String(chars, off, n)) + "' is not hex");
        }
    }

    /** The hex digits {@code hex[from, to)}, at most 16, as an unsigned long, without building a padded copy. */
    private static long parseHex(char[] hex, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = hex[i];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                throw new IllegalArgumentException("not a hex character: '" + c + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static ZipkinDecodeException bad(int index, String field, String problem) {
        return new ZipkinDecodeException("span " + index + ": " + field + " " + problem);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
