package gov.yuancheng.supervision.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An Ed25519 verifier key in the C2SP signed-note format, {@code <name>+<key id, 8 hex>+<base64(0x01 || key)>}.
 * The key id is the first four bytes of SHA-256(name || 0x0A || 0x01 || key); the signature type 0x01 is Ed25519.
 */
public record NoteKey(String name, byte[] publicKey) {

    private static final byte ED25519 = 0x01;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), so the JDK's own Ed25519 verifies. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Pattern NAME = Pattern.compile("[^\\s+]+");

    public NoteKey {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A key name has no spaces and no '+'");
        }
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("An Ed25519 public key has 32 bytes");
        }
        publicKey = publicKey.clone();
    }

    public static NoteKey parse(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("A verifier key reads <name>+<key id>+<key>");
        }
        byte[] typed = Base64.getDecoder().decode(parts[2]);
        if (typed.length != 33 || typed[0] != ED25519) {
            throw new IllegalArgumentException("Not an Ed25519 verifier key");
        }
        NoteKey key = new NoteKey(parts[0], Arrays.copyOfRange(typed, 1, 33));
        if (!HexFormat.of().formatHex(key.keyId()).equals(parts[1])) {
            throw new IllegalArgumentException("The verifier key's id does not match its name and key");
        }
        return key;
    }

    public byte[] keyId() {
        MessageDigest sha = Hashes.sha256();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update(ED25519);
        return Arrays.copyOf(sha.digest(publicKey), 4);
    }

    public String vkey() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public boolean verify(byte[] message, byte[] signature) {
        try {
            byte[] der = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(publicKey, 0, der, X509_PREFIX.length, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(message);
            return ed.verify(signature);
        }
        catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteKey key && key.name.equals(name) && Arrays.equals(key.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return vkey();
    }
}
