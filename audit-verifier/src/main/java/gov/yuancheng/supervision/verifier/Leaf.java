package gov.yuancheng.supervision.verifier;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The members of a leaf that the log's structure rests on: its sequence number, the leaf hash of the record before
 * it (base64; 32 zero bytes for the first) and its event id. The whole leaf is what is hashed; these are read back
 * to check order and the hash chain.
 */
public record Leaf(long seq, String prev, String eventId) {

    public static final String FIRST_PREV = Hashes.base64(new byte[Hashes.SIZE]);
    private static final JsonFactory JSON = new JsonFactory();

    public static Leaf read(byte[] leaf) {
        long seq = -1;
        String prev = null;
        String eventId = null;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), leaf)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("A leaf is a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "prev" -> prev = parser.getValueAsString();
                    case "eventId" -> eventId = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("The leaf is not valid JSON: " + e.getOriginalMessage());
        }
        if (seq < 1 || prev == null || eventId == null) {
            throw new IllegalArgumentException("The leaf lacks seq, prev or eventId");
        }
        return new Leaf(seq, prev, eventId);
    }
}
