import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes the audit log's Ed25519 signing key in the signed-note format audit-service reads
 * ({@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>}) and the matching verifier key for inspectors.
 * JDK 17 only, no build needed:
 *
 * <pre>java deploy/tools/AuditSigningKey.java yuancheng.gov/supervision/audit audit-signing.key audit.vkey</pre>
 *
 * The name must equal AUDIT_LOG_ORIGIN. Refuses to overwrite an existing key file.
 */
public class AuditSigningKey {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AuditSigningKey.java <log origin> <private key file> <public key file>");
            System.exit(2);
        }
        String name = args[0];
        Path privateFile = Path.of(args[1]);
        Path publicFile = Path.of(args[2]);
        if (Files.exists(privateFile)) {
            System.err.println(privateFile + " exists; a new key would make every earlier checkpoint unverifiable");
            System.exit(1);
        }
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();   // 16-byte header, then the 32-byte seed
        byte[] x509 = pair.getPublic().getEncoded();     // 12-byte header, then the 32-byte public key
        byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] publicKey = Arrays.copyOfRange(x509, x509.length - 32, x509.length);

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update((byte) 0x01);
        String keyId = HexFormat.of().formatHex(Arrays.copyOf(sha.digest(publicKey), 4));

        String privateText = "PRIVATE+KEY+" + name + "+" + keyId + "+" + typed(seed) + "\n";
        String publicText = name + "+" + keyId + "+" + typed(publicKey) + "\n";
        Files.writeString(privateFile, privateText, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException e) {
            System.err.println("set the permissions of " + privateFile + " yourself");
        }
        Files.writeString(publicFile, publicText, StandardCharsets.UTF_8);
        System.out.println("signing key: " + privateFile + " (keep it secret, back it up, never in the database)");
        System.out.println("verifier key: " + publicFile + " = " + publicText.strip());
    }

    private static String typed(byte[] key) {
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(key, 0, typed, 1, 32);
        return Base64.getEncoder().encodeToString(typed);
    }
}
