package gov.yuancheng.supervision.verifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated audit log shaped like audit-service's (the same leaf members, hash chain and checkpoint notes), signed
 * with a fresh Ed25519 key, that tests and the benchmark tamper with and write out as bundles.
 */
final class TestLog {

    static final String ORIGIN = "yuancheng.gov/supervision/audit-test";

    record Entry(long seq, byte[] leaf, byte[] leafHash) {
    }

    final KeyPair keys;
    final NoteKey key;

    TestLog() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] der = keys.getPublic().getEncoded();
        key = new NoteKey(ORIGIN, Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    static List<Entry> generate(int count) {
        List<Entry> entries = new ArrayList<>(count);
        byte[] prev = new byte[Hashes.SIZE];
        Instant start = Instant.parse("2026-03-02T01:00:00Z");
        for (int i = 1; i <= count; i++) {
            Entry entry = entry(i, prev, "gov.supervision.task.progress-reported.v1", start.plusSeconds(i));
            entries.add(entry);
            prev = entry.leafHash();
        }
        return entries;
    }

    static Entry entry(long seq, byte[] prev, String type, Instant time) {
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("v", 1);
        leaf.put("seq", seq);
        leaf.put("prev", Hashes.base64(prev));
        leaf.put("eventId", "00000000-0000-4000-8000-" + String.format("%012d", seq));
        leaf.put("topic", "supervision.task-events");
        leaf.put("type", type);
        leaf.put("source", "/supervision/task-service");
        leaf.put("subject", "task-" + (seq % 997));
        leaf.put("time", time.toString());
        leaf.put("actor", Map.of("id", "user-" + (seq % 13), "name", "李 华", "unit", "dept-fgj", "roles", "unit"));
        leaf.put("clientAddress", "10.12.0.7");
        leaf.put("userAgent", "Mozilla/5.0");
        leaf.put("data", Map.of("percent", seq % 100, "before", Map.of("percent", 0), "after",
                Map.of("percent", seq % 100)));
        leaf.put("recordedAt", time.plusMillis(20).toString());
        byte[] bytes = CanonicalJson.encode(leaf);
        return new Entry(seq, bytes, Hashes.leaf(bytes));
    }

    String sign(long size, byte[] root) {
        return SignedNote.sign(new Checkpoint(ORIGIN, size, root).text(), key, message -> {
            try {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initSign(keys.getPrivate());
                ed.update(message);
                return ed.sign();
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A signed checkpoint over the leaf hashes of the given entries as they stand. */
    String checkpoint(List<Entry> entries) {
        MerkleTree tree = new MerkleTree();
        entries.forEach(e -> tree.append(e.leafHash()));
        return sign(tree.size(), tree.root());
    }

    /** What an inspector saves after verifying the whole log: its checkpoint and the leaf hashes. */
    String savedLog(List<Entry> entries) {
        MerkleTree tree = new MerkleTree();
        entries.forEach(e -> tree.append(e.leafHash()));
        StringWriter out = new StringWriter();
        try {
            SavedLog.write(out, sign(tree.size(), tree.root()), tree);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The entries from index {@code from} on, chained anew after the entries before it, as someone rewriting the log would. */
    static List<Entry> rechain(List<Entry> head, List<Entry> tail, long firstSeq) {
        List<Entry> result = new ArrayList<>(head);
        byte[] prev = head.isEmpty() ? new byte[Hashes.SIZE] : head.get(head.size() - 1).leafHash();
        long seq = firstSeq;
        for (Entry entry : tail) {
            String text = new String(entry.leaf(), StandardCharsets.UTF_8)
                    .replaceFirst("\"prev\":\"[^\"]*\"", "\"prev\":\"" + Hashes.base64(prev) + "\"")
                    .replaceFirst("\"seq\":[0-9]+", "\"seq\":" + seq);
            byte[] leaf = text.getBytes(StandardCharsets.UTF_8);
            Entry rechained = new Entry(seq++, leaf, Hashes.leaf(leaf));
            result.add(rechained);
            prev = rechained.leafHash();
        }
        return result;
    }

    /** A whole-log bundle of the entries as given, signed by the given checkpoint. */
    byte[] logBundle(List<Entry> entries, String checkpoint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeLogBundle(out, entries, checkpoint);
        return out.toByteArray();
    }

    void writeLogBundle(OutputStream out, List<Entry> entries, String checkpoint) {
        try (BundleWriter writer = new BundleWriter(out, key.vkey(), Map.of("kind", "log"), checkpoint, List.of(),
                null)) {
            entries.forEach(e -> writer.record(e.seq(), e.leaf(), e.leafHash(), null));
        }
    }
}
