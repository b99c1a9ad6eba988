package gov.yuancheng.supervision.verifier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then lines "— name base64(key id || signature)".
 * The signature is over the text alone, final newline included.
 */
public record SignedNote(String text, List<Line> signatures) {

    private static final String DASH = "\u2014 ";

    public record Line(String keyName, byte[] keyId, byte[] signature) {
    }

    public static SignedNote parse(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new IllegalArgumentException("A signed note is a text, a blank line and signature lines");
        }
        String text = note.substring(0, split + 1);
        List<Line> lines = new ArrayList<>();
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("A signature line starts with an em dash and a space");
            }
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("A signature line reads '— <key name> <signature>'");
            }
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            if (blob.length < 5) {
                throw new IllegalArgumentException("A signature carries a key id and a signature");
            }
            lines.add(new Line(parts[0], Arrays.copyOf(blob, 4), Arrays.copyOfRange(blob, 4, blob.length)));
        }
        return new SignedNote(text, List.copyOf(lines));
    }

    /** Signs {@code text} with a raw Ed25519 signing function of the key's private half. */
    public static String sign(String text, NoteKey key, UnaryOperator<byte[]> ed25519) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("A note text ends in a newline");
        }
        byte[] signature = ed25519.apply(text.getBytes(StandardCharsets.UTF_8));
        byte[] blob = new byte[4 + signature.length];
        System.arraycopy(key.keyId(), 0, blob, 0, 4);
        System.arraycopy(signature, 0, blob, 4, signature.length);
        return text + "\n" + DASH + key.name() + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    /** True if a signature line of this key (same name and id) verifies over the text. */
    public boolean isSignedBy(NoteKey key) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        return signatures.stream().anyMatch(line -> line.keyName().equals(key.name())
                && Arrays.equals(line.keyId(), key.keyId()) && key.verify(message, line.signature()));
    }
}
