package gov.yuancheng.supervision.verifier;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Checks an evidence bundle against a public key the inspector trusts (never the one inside the bundle) and,
 * optionally, what the inspector saved earlier ({@link SavedLog}: a checkpoint, with or without its leaf hashes).
 * It streams the records, so a log of millions fits in little memory beyond the tree's hashes.
 */
public final class Verifier {

    private static final JsonFactory JSON = new JsonFactory();

    private final NoteKey key;
    private final String savedCheckpoint;

    public Verifier(NoteKey key, String savedCheckpoint) {
        this.key = key;
        this.savedCheckpoint = savedCheckpoint;
    }

    /**
     * What the verifier found: the problems in the order met and the lowest record any of them names; for a whole-log
     * bundle also the latest checkpoint and the rebuilt tree, which {@link SavedLog#write} keeps for next time.
     */
    public record Report(long records, long checkpointSize, String scope, List<String> problems, Long firstBadRecord,
            List<String> notes, String checkpoint, MerkleTree tree) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Report verify(InputStream bundle) {
        Run run = new Run();
        if (savedCheckpoint != null) {
            try {
                run.saved = SavedLog.parse(savedCheckpoint, key);
            }
            catch (IllegalArgumentException e) {
                run.problem(null, "What you saved is not valid: " + e.getMessage());
            }
        }
        try (JsonParser in = JSON.createParser(ObjectReadContext.empty(), bundle)) {
            expect(in.nextToken(), JsonToken.START_OBJECT);
            while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = in.currentName();
                in.nextToken();
                switch (name) {
                    case "format" -> {
                        if (!BundleWriter.FORMAT.equals(in.getString())) {
                            throw new IllegalArgumentException("Not a bundle of format " + BundleWriter.FORMAT);
                        }
                    }
                    case "publicKey" -> run.bundleKey = in.getString();
                    case "scope" -> run.scope = readScope(in);
                    case "checkpoint" -> run.checkpoint(in.getString());
                    case "earlierCheckpoints" -> run.earlier(in);
                    case "since" -> run.since(in);
                    case "records" -> run.records(in);
                    default -> in.skipChildren();
                }
            }
        }
        catch (JacksonException e) {
            run.fatal("The bundle is not readable JSON: " + e.getOriginalMessage());
        }
        catch (IllegalArgumentException e) {
            run.fatal(e.getMessage());
        }
        return run.finish();
    }

    private static Map<String, String> readScope(JsonParser in) {
        Map<String, String> scope = new LinkedHashMap<>();
        expect(in.currentToken(), JsonToken.START_OBJECT);
        while (in.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = in.currentName();
            in.nextToken();
            scope.put(name, in.getValueAsString());
        }
        return scope;
    }

    private static List<byte[]> readHashes(JsonParser in) {
        expect(in.currentToken(), JsonToken.START_ARRAY);
        List<byte[]> hashes = new ArrayList<>();
        while (in.nextToken() == JsonToken.VALUE_STRING) {
            hashes.add(Hashes.fromBase64(in.getString()));
        }
        return hashes;
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("The bundle is malformed: expected " + expected + " but found " + actual);
        }
    }

    /** The state of one verification. */
    private final class Run {

        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final MerkleTree tree = new MerkleTree();
        /** Signed roots by size, to compare with the rebuilt tree as it grows past each size. */
        final TreeMap<Long, byte[]> signedRoots = new TreeMap<>();
        Map<String, String> scope = Map.of();
        String bundleKey;
        String latestNote;
        Checkpoint latest;
        SavedLog saved;
        /** A consistency proof from the inspector's saved size to the latest checkpoint ({@code ?since=} on export). */
        long sinceSize;
        List<byte[]> sinceProof;
        Long firstBad;
        long count;
        long expectedSeq = 1;
        byte[] previousLeafHash;
        long lastMatchedSize;
        boolean rewriteNamed;

        boolean isLog() {
            return "log".equals(scope.get("kind"));
        }

        void checkpoint(String note) {
            latestNote = note;
            latest = Checkpoint.verified(note, key);
            signedRoots.put(latest.size(), latest.root());
        }

        void earlier(JsonParser in) {
            requireCheckpoint();
            expect(in.currentToken(), JsonToken.START_ARRAY);
            while (in.nextToken() == JsonToken.START_OBJECT) {
                String note = null;
                List<byte[]> consistency = List.of();
                while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = in.currentName();
                    in.nextToken();
                    if (name.equals("note")) {
                        note = in.getString();
                    }
                    else if (name.equals("consistency")) {
                        consistency = readHashes(in);
                    }
                    else {
                        in.skipChildren();
                    }
                }
                Checkpoint earlier;
                try {
                    earlier = Checkpoint.verified(note == null ? "" : note, key);
                }
                catch (IllegalArgumentException e) {
                    problem(null, "An earlier checkpoint is not valid: " + e.getMessage());
                    continue;
                }
                if (!consistent(earlier, consistency)) {
                    problem(null, "The signed checkpoint of size " + earlier.size()
                            + " is not consistent with the latest one of size " + latest.size());
                }
                signedRoots.put(earlier.size(), earlier.root());
            }
        }

        void since(JsonParser in) {
            expect(in.currentToken(), JsonToken.START_OBJECT);
            while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = in.currentName();
                in.nextToken();
                switch (name) {
                    case "size" -> sinceSize = in.getLongValue();
                    case "consistency" -> sinceProof = readHashes(in);
                    default -> in.skipChildren();
                }
            }
        }

        boolean consistent(Checkpoint earlier, List<byte[]> proof) {
            if (earlier.size() == 0) {
                return true;
            }
            return Proofs.verifyConsistency(earlier.size(), latest.size(), proof, earlier.root(), latest.root());
        }

        void records(JsonParser in) {
            requireCheckpoint();
            expect(in.currentToken(), JsonToken.START_ARRAY);
            while (in.nextToken() == JsonToken.START_OBJECT) {
                long seq = -1;
                String leaf = null;
                byte[] storedHash = null;
                List<byte[]> inclusion = null;
                while (in.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = in.currentName();
                    in.nextToken();
                    switch (name) {
                        case "seq" -> seq = in.getLongValue();
                        case "leaf" -> leaf = in.getString();
                        case "leafHash" -> storedHash = Hashes.fromBase64(in.getString());
                        case "inclusion" -> inclusion = readHashes(in);
                        default -> in.skipChildren();
                    }
                }
                record(seq, leaf, storedHash, inclusion);
            }
        }

        void record(long seq, String leafText, byte[] storedHash, List<byte[]> inclusion) {
            count++;
            long position = isLog() ? count : seq;
            if (leafText == null || storedHash == null) {
                problem(position, "record " + position + " lacks its leaf or leaf hash");
                return;
            }
            byte[] leaf = leafText.getBytes(StandardCharsets.UTF_8);
            byte[] hash = Hashes.leaf(leaf);
            Leaf fields = null;
            try {
                fields = Leaf.read(leaf);
            }
            catch (IllegalArgumentException e) {
                problem(position, "record " + position + " is not a readable leaf: " + e.getMessage());
            }
            if (fields != null && fields.seq() != seq) {
                problem(position, "record " + position + " says it is record " + fields.seq()
                        + " inside its signed content but is listed as " + seq);
            }
            if (!MessageDigest.isEqual(hash, storedHash)) {
                problem(position, "record " + seq + " (event " + (fields == null ? "?" : fields.eventId())
                        + ") was altered: its content does not hash to the leaf hash recorded when it was appended");
            }
            if (saved != null && !rewriteNamed && saved.differs(seq, hash)) {
                rewriteNamed = true;
                problem(seq, "record " + seq + " (event " + (fields == null ? "?" : fields.eventId()) + ") is not the"
                        + " record " + seq + " you saved: the log was rewritten from there on");
            }
            if (isLog()) {
                logRecord(seq, hash, fields);
            }
            else if (inclusion == null || seq < 1 || seq > latest.size()
                    || !Proofs.verifyInclusion(seq - 1, latest.size(), hash, inclusion, latest.root())) {
                problem(seq, "record " + seq + " (event " + (fields == null ? "?" : fields.eventId())
                        + ") is not in the log the checkpoint of size " + latest.size() + " signs");
            }
        }

        void logRecord(long seq, byte[] hash, Leaf fields) {
            long previousSeq = expectedSeq - 1;
            if (seq != expectedSeq) {
                problem(seq > expectedSeq ? expectedSeq : seq,
                        count == 1 ? "the log starts with record " + seq + " instead of record 1"
                                : "record " + previousSeq + " is followed by record " + seq + " instead of record "
                                        + expectedSeq + (seq > expectedSeq ? ": record " + expectedSeq + " is missing"
                                                : ": a record was inserted, repeated or moved"));
            }
            else if (fields != null && previousLeafHash != null
                    && !fields.prev().equals(Hashes.base64(previousLeafHash))) {
                problem(seq - 1, "record " + (seq - 1) + " was altered or replaced: record " + seq
                        + " chains to a different record " + (seq - 1));
            }
            else if (fields != null && previousLeafHash == null && !fields.prev().equals(Leaf.FIRST_PREV)) {
                problem(seq, "record " + seq + " claims a predecessor but is the first of the log");
            }
            expectedSeq = seq + 1;
            previousLeafHash = hash;
            tree.append(hash);
            byte[] signed = signedRoots.get(tree.size());
            if (signed != null) {
                if (MessageDigest.isEqual(signed, tree.root())) {
                    lastMatchedSize = tree.size();
                }
                else {
                    problem(null, "a record among records " + (lastMatchedSize + 1) + " to " + tree.size()
                            + " differs from the log that the checkpoint of size " + tree.size() + " signs");
                }
            }
        }

        void requireCheckpoint() {
            if (latest == null) {
                throw new IllegalArgumentException("The bundle has no checkpoint before its records");
            }
        }

        Report finish() {
            if (latest != null && isLog()) {
                if (count < latest.size()) {
                    problem(count + 1, "the log was cut short: the checkpoint signs " + latest.size()
                            + " records, the bundle ends after record " + count + "; record " + (count + 1)
                            + " is the first missing");
                }
                else if (count > latest.size()) {
                    // Named only if the records it signs matched: otherwise the first bad one lies among those.
                    problem(lastMatchedSize == latest.size() ? latest.size() + 1 : null, "record "
                            + (latest.size() + 1) + " and after are not covered by the checkpoint of size "
                            + latest.size());
                }
            }
            if (latest != null && saved != null) {
                compareWithSaved();
            }
            if (bundleKey != null && !bundleKey.strip().equals(key.vkey())) {
                notes.add("The bundle names another public key than yours; yours was used.");
            }
            return new Report(count, latest == null ? -1 : latest.size(), String.valueOf(scope), List.copyOf(problems),
                    firstBad, List.copyOf(notes), latestNote, isLog() ? tree : null);
        }

        void compareWithSaved() {
            if (saved.size() > latest.size()) {
                problem(latest.size() + 1, "the log was rolled back: your saved checkpoint signs " + saved.size()
                        + " records, the log's latest only " + latest.size() + "; record " + (latest.size() + 1)
                        + " is the first one lost");
                return;
            }
            boolean consistent;
            if (isLog()) {
                consistent = saved.size() > tree.size()
                        || MessageDigest.isEqual(saved.checkpoint().root(), tree.root(saved.size()));
            }
            else if (sinceProof != null && sinceSize == saved.size()) {
                consistent = Proofs.verifyConsistency(saved.size(), latest.size(), sinceProof,
                        saved.checkpoint().root(), latest.root());
            }
            else if (signedRoots.containsKey(saved.size())) {
                consistent = MessageDigest.isEqual(signedRoots.get(saved.size()), saved.checkpoint().root());
            }
            else {
                notes.add("The bundle carries no consistency proof from your saved size " + saved.size()
                        + "; export it again with since=" + saved.size());
                return;
            }
            if (consistent) {
                notes.add("Consistent with your saved checkpoint of size " + saved.size() + ".");
            }
            else if (!rewriteNamed) {
                problem(null, "the log was rewritten: the latest checkpoint does not extend your saved one of size "
                        + saved.size() + (saved.leaves() == null ? "; save the leaf hashes too (--save) to have the"
                                + " first changed record named" : ""));
            }
        }

        void problem(Long record, String text) {
            problems.add(text);
            if (record != null && (firstBad == null || record < firstBad)) {
                firstBad = record;
            }
        }

        void fatal(String text) {
            problems.add("The bundle cannot be verified: " + text);
        }
    }
}
