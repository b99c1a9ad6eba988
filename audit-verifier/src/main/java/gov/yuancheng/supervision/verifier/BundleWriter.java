package gov.yuancheng.supervision.verifier;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes an evidence bundle, one JSON document, streamed record by record:
 * <pre>
 * { "format": "supervision-audit-bundle/1", "publicKey": "&lt;vkey&gt;", "scope": { "kind": "log" | "task" | "unit", ... },
 *   "checkpoint": "&lt;signed note&gt;",
 *   "earlierCheckpoints": [ { "note": "&lt;signed note&gt;", "consistency": [ base64 hash, ... ] } ],
 *   "since": { "size": m, "consistency": [ base64 hash, ... ] },
 *   "records": [ { "seq": n, "leafHash": base64, "leaf": "&lt;canonical leaf JSON&gt;", "inclusion": [ base64, ... ] } ] }
 * </pre>
 * A {@code log} bundle holds every record 1..size of the checkpoint, so the verifier rebuilds the whole tree; a
 * selection (task, unit) holds each record's inclusion proof against the checkpoint instead. {@code since}, present
 * when the export names the size of a checkpoint the inspector saved, proves the checkpoint extends that tree.
 */
public final class BundleWriter implements AutoCloseable {

    public static final String FORMAT = "supervision-audit-bundle/1";
    private static final JsonFactory JSON = new JsonFactory();
    private final JsonGenerator out;

    public record EarlierCheckpoint(String note, List<byte[]> consistency) {
    }

    /** The consistency proof from the tree of {@code size} records to the bundle's checkpoint. */
    public record Since(long size, List<byte[]> consistency) {
    }

    public BundleWriter(OutputStream stream, String vkey, Map<String, String> scope, String checkpointNote,
            List<EarlierCheckpoint> earlier, Since since) {
        out = JSON.createGenerator(ObjectWriteContext.empty(), stream);
        out.writeStartObject();
        out.writeStringProperty("format", FORMAT);
        out.writeStringProperty("publicKey", vkey);
        out.writeName("scope");
        out.writeStartObject();
        scope.forEach((name, value) -> {
            if (value != null) {
                out.writeStringProperty(name, value);
            }
        });
        out.writeEndObject();
        out.writeStringProperty("checkpoint", checkpointNote);
        out.writeName("earlierCheckpoints");
        out.writeStartArray();
        for (EarlierCheckpoint checkpoint : earlier) {
            out.writeStartObject();
            out.writeStringProperty("note", checkpoint.note());
            writeHashes("consistency", checkpoint.consistency());
            out.writeEndObject();
        }
        out.writeEndArray();
        if (since != null) {
            out.writeName("since");
            out.writeStartObject();
            out.writeNumberProperty("size", since.size());
            writeHashes("consistency", since.consistency());
            out.writeEndObject();
        }
        out.writeName("records");
        out.writeStartArray();
    }

    public void record(long seq, byte[] leaf, byte[] leafHash, List<byte[]> inclusion) {
        out.writeStartObject();
        out.writeNumberProperty("seq", seq);
        out.writeStringProperty("leafHash", Hashes.base64(leafHash));
        out.writeStringProperty("leaf", new String(leaf, StandardCharsets.UTF_8));
        if (inclusion != null) {
            writeHashes("inclusion", inclusion);
        }
        out.writeEndObject();
    }

    private void writeHashes(String name, List<byte[]> hashes) {
        out.writeName(name);
        out.writeStartArray();
        for (byte[] hash : hashes) {
            out.writeString(Hashes.base64(hash));
        }
        out.writeEndArray();
    }

    @Override
    public void close() {
        out.writeEndArray();
        out.writeEndObject();
        out.close();
    }
}
