package gov.yuancheng.supervision.verifier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The two hashes of RFC 6962 section 2.1 (RFC 9162 section 2.1.1), domain-separated so a leaf can never pass for a node. */
public final class Hashes {

    public static final int SIZE = 32;

    private Hashes() {
    }

    public static byte[] leaf(byte[] leaf) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        return sha.digest(leaf);
    }

    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root of the empty tree: the hash of the empty string. */
    public static byte[] empty() {
        return sha256().digest();
    }

    public static String base64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    public static byte[] fromBase64(String text) {
        byte[] hash = Base64.getDecoder().decode(text);
        if (hash.length != SIZE) {
            throw new IllegalArgumentException("A hash has 32 bytes, not " + hash.length);
        }
        return hash;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
