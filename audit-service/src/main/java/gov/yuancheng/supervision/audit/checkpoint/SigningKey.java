package gov.yuancheng.supervision.audit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import gov.yuancheng.supervision.verifier.NoteKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The log's Ed25519 signing key. It never lives in the database, whose administrators the log must be able to
 * prove wrong: it comes from {@code supervision.audit.signing.key} (env {@code AUDIT_SIGNING_KEY}) or from the file
 * {@code supervision.audit.signing.key-file} (env {@code AUDIT_SIGNING_KEY_FILE}), in the signed-note private key
 * format {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || 32-byte seed)>}. Only when
 * {@code generate-if-missing} is set (the local stack) is a missing file created with a fresh key.
 */
@Component
public class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);
    private static final String PREFIX = "PRIVATE+KEY+";
    private final Ed25519PrivateKeyParameters privateKey;
    private final NoteKey publicKey;

    SigningKey(@Value("${supervision.audit.origin}") String origin,
            @Value("${supervision.audit.signing.key:}") String inline,
            @Value("${supervision.audit.signing.key-file:}") String file,
            @Value("${supervision.audit.signing.generate-if-missing:false}") boolean generate) {
        String text = inline.isBlank() ? readOrCreate(origin, file, generate) : inline.strip();
        String[] parts = text.split("\\+", 5);
        if (parts.length != 5 || !text.startsWith(PREFIX)) {
            throw new IllegalStateException("The audit signing key is not a signed-note private key (PRIVATE+KEY+...)");
        }
        byte[] typed = Base64.getDecoder().decode(parts[4]);
        if (typed.length != 33 || typed[0] != 1) {
            throw new IllegalStateException("The audit signing key is not an Ed25519 key");
        }
        privateKey = new Ed25519PrivateKeyParameters(Arrays.copyOfRange(typed, 1, 33), 0);
        publicKey = new NoteKey(parts[2], privateKey.generatePublicKey().getEncoded());
        if (!HexFormat.of().formatHex(publicKey.keyId()).equals(parts[3])) {
            throw new IllegalStateException("The audit signing key's id does not match its name and key");
        }
        if (!publicKey.name().equals(origin)) {
            throw new IllegalStateException("The audit signing key is named " + publicKey.name()
                    + " but the log's origin is " + origin);
        }
    }

    public NoteKey publicKey() {
        return publicKey;
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** A fresh key in the private key format, as the local stack's first start writes it. */
    public static String generate(String name) {
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        NoteKey pub = new NoteKey(name, key.generatePublicKey().getEncoded());
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(key.getEncoded(), 0, typed, 1, 32);
        return PREFIX + name + "+" + HexFormat.of().formatHex(pub.keyId()) + "+"
                + Base64.getEncoder().encodeToString(typed);
    }

    private static String readOrCreate(String origin, String file, boolean generate) {
        if (file.isBlank()) {
            throw new IllegalStateException("No audit signing key: set AUDIT_SIGNING_KEY_FILE or AUDIT_SIGNING_KEY");
        }
        Path path = Path.of(file);
        try {
            if (Files.notExists(path) && generate) {
                Files.createDirectories(path.toAbsolutePath().getParent());
                Files.writeString(path, generate(origin) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                }
                catch (UnsupportedOperationException e) {
                    log.debug("No POSIX permissions here for {}", path);
                }
                log.warn("Generated a new audit signing key in {}; keep it outside the database and back it up", path);
            }
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit signing key " + path, e);
        }
    }
}
