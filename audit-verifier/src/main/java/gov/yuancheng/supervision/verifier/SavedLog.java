package gov.yuancheng.supervision.verifier;

import java.io.IOException;
import java.io.Writer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * What the inspector keeps from an earlier verification: a signed checkpoint and, optionally, the leaf hashes of
 * every record it covers. The file is the checkpoint note as the service serves it, then a blank line and one
 * base64 leaf hash per line for records 1..size (32 bytes a record; the verifier writes it with {@code --save}).
 *
 * <p>Why the leaf hashes: someone holding the signing key can roll the log back, append forged records or re-chain
 * it from any record on, and sign checkpoints over the result. Only what the inspector saved exposes that, and a
 * root alone says only that some record among the first {@code size} differs: telling which one needs a
 * commitment to every prefix, which is what the leaf hashes are (each also commits to its predecessors through
 * the chain). With them the verifier names the first record whose content differs from what was saved.
 */
public record SavedLog(Checkpoint checkpoint, byte[] leaves) {

    /** Parses and checks a saved file: the checkpoint's signature with the inspector's key, the leaves against its root. */
    public static SavedLog parse(String text, NoteKey key) {
        int endOfText = text.indexOf("\n\n");
        int endOfNote = endOfText < 0 ? -1 : text.indexOf("\n\n", endOfText + 2);
        Checkpoint checkpoint = Checkpoint.verified(endOfNote < 0 ? text : text.substring(0, endOfNote + 1), key);
        String rest = endOfNote < 0 ? "" : text.substring(endOfNote + 2);
        if (rest.isBlank()) {
            return new SavedLog(checkpoint, null);
        }
        String[] lines = rest.split("\n");
        if (lines.length != checkpoint.size()) {
            throw new IllegalArgumentException("it lists " + lines.length + " leaf hashes for a checkpoint of size "
                    + checkpoint.size());
        }
        byte[] leaves = new byte[Math.multiplyExact(lines.length, Hashes.SIZE)];
        MerkleTree tree = new MerkleTree();
        Base64.Decoder base64 = Base64.getDecoder();
        for (int i = 0; i < lines.length; i++) {
            byte[] hash = base64.decode(lines[i]);
            tree.append(hash);
            System.arraycopy(hash, 0, leaves, i * Hashes.SIZE, Hashes.SIZE);
        }
        if (!MessageDigest.isEqual(tree.root(), checkpoint.root())) {
            throw new IllegalArgumentException("its leaf hashes do not hash to the root its checkpoint signs");
        }
        return new SavedLog(checkpoint, leaves);
    }

    /** Writes the checkpoint note and the leaf hashes of the tree it signs. */
    public static void write(Writer out, String note, MerkleTree tree) throws IOException {
        out.write(note);
        out.write('\n');
        Base64.Encoder base64 = Base64.getEncoder();
        for (long i = 0; i < tree.size(); i++) {
            out.write(base64.encodeToString(tree.leafHash(i)));
            out.write('\n');
        }
    }

    public long size() {
        return checkpoint.size();
    }

    /** True if this file holds record {@code seq}'s leaf hash and it differs from {@code leafHash}. */
    public boolean differs(long seq, byte[] leafHash) {
        if (leaves == null || seq < 1 || seq > size()) {
            return false;
        }
        int at = (int) (seq - 1) * Hashes.SIZE;
        return !Arrays.equals(leaves, at, at + Hashes.SIZE, leafHash, 0, Hashes.SIZE);
    }
}
