package gov.yuancheng.supervision.verifier;

import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint: the origin line, the tree size in decimal, the base64 root hash, each on its
 * own line (extension lines may follow and are kept as they are).
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {

    public Checkpoint(String origin, long size, byte[] root) {
        this(origin, size, root, List.of());
    }

    public String text() {
        StringBuilder text = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(Hashes.base64(root)).append('\n');
        extensions.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    public static Checkpoint parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty() || lines[0].isEmpty()) {
            throw new IllegalArgumentException("A checkpoint has an origin, a size and a root hash, one per line");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("A checkpoint's size is a decimal number without leading zeros");
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), Hashes.fromBase64(lines[2]),
                List.of(lines).subList(3, lines.length - 1));
    }

    /** Parses a signed checkpoint note and checks its signature, or throws naming what is wrong. */
    public static Checkpoint verified(String note, NoteKey key) {
        SignedNote signed = SignedNote.parse(note);
        if (!signed.isSignedBy(key)) {
            throw new IllegalArgumentException("The checkpoint is not signed by " + key.name());
        }
        Checkpoint checkpoint = parse(signed.text());
        if (!checkpoint.origin().equals(key.name())) {
            throw new IllegalArgumentException("The checkpoint is of log " + checkpoint.origin() + ", not " + key.name());
        }
        return checkpoint;
    }
}
