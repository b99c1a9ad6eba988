package gov.yuancheng.supervision.verifier;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The canonical JSON of an audit leaf: object members sorted by their names' UTF-16 code units (as RFC 8785 sorts),
 * no whitespace, members whose value is null left out, strings escaped as JSON requires and nothing more (UTF-8
 * otherwise), integers in plain decimal, other numbers as Java's {@link BigDecimal#toString()} of their value.
 * Values are maps, lists, strings, numbers and booleans.
 */
public final class CanonicalJson {

    private static final JsonFactory JSON = new JsonFactory();

    private CanonicalJson() {
    }

    public static byte[] encode(Map<String, ?> object) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, object);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator out, Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> names = new ArrayList<>();
            map.forEach((name, member) -> {
                if (member != null) {
                    names.add(name.toString());
                }
            });
            names.sort(null);
            out.writeStartObject();
            for (String name : names) {
                out.writeName(name);
                write(out, map.get(name));
            }
            out.writeEndObject();
        }
        else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object item : list) {
                if (item == null) {
                    out.writeNull();
                }
                else {
                    write(out, item);
                }
            }
            out.writeEndArray();
        }
        else if (value instanceof String text) {
            out.writeString(text);
        }
        else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            out.writeNumber(new BigInteger(value.toString()));
        }
        else if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString()).stripTrailingZeros();
            if (decimal.scale() <= 0) {
                out.writeNumber(decimal.toBigIntegerExact());
            }
            else {
                out.writeNumber(decimal.toString());
            }
        }
        else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }
}
