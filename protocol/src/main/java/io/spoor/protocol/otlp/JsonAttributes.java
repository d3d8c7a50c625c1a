package io.spoor.protocol.otlp;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads OTLP-JSON {@code KeyValue} arrays and {@code AnyValue} objects, keeping each value's type. */
final class JsonAttributes {
    /** An AnyValue with no value set reads as the empty string (what the Collector shows for it too). */
    static final AttributeValue EMPTY_STRING = new AttributeValue.StringValue("");

    private JsonAttributes() {
    }

    /** Reads the KeyValue array at the current token (already known to be non-null). */
    static Attributes read(JsonInput in, String field) throws IOException {
        if (!in.isArray(field)) {
            return Attributes.EMPTY;
        }
        List<Attribute> list = null;
        while (in.nextObjectElement(field)) {
            if (list == null) {
                list = new ArrayList<>();
            }
            list.add(keyValue(in));
        }
        return list == null ? Attributes.EMPTY : new Attributes(list);
    }

    private static Attribute keyValue(JsonInput in) throws IOException {
        String key = "";
        AttributeValue value = EMPTY_STRING;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "key" -> key = in.string(f);
                case "value" -> value = anyValue(in, f);
                default -> in.skip();
            }
        }
        return new Attribute(key, value);
    }

    static AttributeValue anyValue(JsonInput in, String field) throws IOException {
        if (!in.isObject(field)) {
            return EMPTY_STRING;
        }
        AttributeValue value = EMPTY_STRING;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "stringValue", "string_value" -> value = new AttributeValue.StringValue(in.string(f));
                case "boolValue", "bool_value" -> value = new AttributeValue.BoolValue(in.bool(f));
                case "intValue", "int_value" -> value = new AttributeValue.LongValue(in.int64(f));
                case "doubleValue", "double_value" -> value = new AttributeValue.DoubleValue(in.float64(f));
                case "bytesValue", "bytes_value" -> value = new AttributeValue.BytesValue(in.base64(f));
                case "arrayValue", "array_value" -> value = array(in, f);
                case "kvlistValue", "kvlist_value" -> value = new AttributeValue.MapValue(keyValueList(in, f));
                default -> in.skip();
            }
        }
        return value;
    }

    /** {@code ArrayValue}: an object whose {@code values} holds AnyValues. */
    private static AttributeValue array(JsonInput in, String field) throws IOException {
        List<AttributeValue> values = new ArrayList<>();
        if (in.isObject(field)) {
            for (String f; (f = in.nextField()) != null; ) {
                if (f.equals("values") && in.isArray(f)) {
                    while (in.nextObjectElement(f)) {
                        values.add(anyValue(in, f));
                    }
                } else {
                    in.skip();
                }
            }
        }
        return new AttributeValue.ArrayValue(values);
    }

    /** {@code KeyValueList}: an object whose {@code values} holds KeyValues. */
    private static Attributes keyValueList(JsonInput in, String field) throws IOException {
        Attributes result = Attributes.EMPTY;
        if (in.isObject(field)) {
            for (String f; (f = in.nextField()) != null; ) {
                if (f.equals("values")) {
                    result = read(in, f);
                } else {
                    in.skip();
                }
            }
        }
        return result;
    }
}
