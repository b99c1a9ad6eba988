package gov.yuancheng.supervision.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak server in dev mode: the distribution (a Maven artifact) is unpacked once into a
 * cache shared by every data folder; the database lives in the data folder; the realm and the demo
 * users are imported from {@code deploy/keycloak} on the first start, and again whenever those files
 * change. The demo users file is the local stack's alone: production imports the realm file only.
 */
final class Keycloak {

    static final List<String> IMPORT_FILES = List.of("supervision-realm.json", "supervision-users-0.json");

    private Keycloak() {
    }

    static Child start(StackConfig config) throws IOException {
        Path dist = unpackOnce(config);
        Path home = config.data().resolve("keycloak");
        Files.createDirectories(home);
        resetWhenRealmChanged(config, home);
        Path imports = home.resolve("import");
        Files.createDirectories(imports);
        for (String file : IMPORT_FILES) {
            Files.copy(realmDir(config).resolve(file), imports.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = config.port(StackConfig.KEYCLOAK);
        List<String> command = List.of(dist.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--hostname=" + config.keycloakUrl(),
                "--db-url=jdbc:h2:file:" + home.resolve("h2/keycloakdb") + ";NON_KEYWORDS=VALUE",
                // Import from the data folder and keep transaction logs there, so the unpacked
                // distribution in the cache is never written to after its one-time build.
                "-Dkeycloak.migration.dir=" + imports,
                "-Dquarkus.transaction-manager.object-store.directory=" + home.resolve("transaction-logs"));
        Map<String, String> env = Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword(home),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                "JAVA_HOME", System.getProperty("java.home"));
        return Child.start("keycloak", command, env, home, config.logs(),
                Probes.http200(config.issuer() + "/.well-known/openid-configuration"));
    }

    static Path realmDir(StackConfig config) {
        return config.home().resolve("deploy/keycloak");
    }

    /** The bootstrap administrator's password: made up on the first start, kept in the data folder. */
    static String adminPassword(Path home) throws IOException {
        Path file = home.resolve("admin-password");
        if (!Files.exists(file)) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).trim();
    }

    /** {@code --import-realm} skips a realm that exists, so a changed realm definition means a fresh database. */
    private static void resetWhenRealmChanged(StackConfig config, Path home) throws IOException {
        String digest = digest(config);
        Path marker = home.resolve("realm.sha256");
        if (Files.exists(marker) && !Files.readString(marker).equals(digest)) {
            System.out.println("  The realm definition changed: Keycloak's database is reset and the realm imported again.");
            deleteTree(home.resolve("h2"));
        }
        Files.writeString(marker, digest);
    }

    private static String digest(StackConfig config) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : IMPORT_FILES) {
                sha.update(Files.readAllBytes(realmDir(config).resolve(file)));
            }
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path unpackOnce(StackConfig config) throws IOException {
        Properties stack = new Properties();
        try (InputStream in = Keycloak.class.getResourceAsStream("/stack.properties")) {
            stack.load(in);
        }
        String version = stack.getProperty("keycloak.version");
        Path dist = config.cache().resolve("keycloak-" + version);
        if (Files.isExecutable(dist.resolve("bin/kc.sh"))) {
            return dist;
        }
        Path zip = Path.of(stack.getProperty("keycloak.zip"));
        if (!Files.exists(zip)) {
            throw new StackException("The Keycloak distribution " + zip + " is missing: build with ./mvnw package first.");
        }
        System.out.println("  Unpacking Keycloak " + version + " into " + dist + " (once)...");
        Files.createDirectories(config.cache());
        Path staging = Files.createTempDirectory(config.cache(), "keycloak-unpack-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("Unexpected entry " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                }
                else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path unpacked = staging.resolve("keycloak-" + version);
        try (var scripts = Files.list(unpacked.resolve("bin"))) {
            scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
        }
        Files.move(unpacked, dist, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(staging);
        return dist;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}
