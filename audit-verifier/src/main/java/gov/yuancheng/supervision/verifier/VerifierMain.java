package gov.yuancheng.supervision.verifier;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar audit-verifier-all.jar --key <public key file> [--saved <file>] [--save <file>] <bundle.json>}.
 * {@code --saved}: a checkpoint or a saved log kept from before ({@link SavedLog}); {@code --save}: after a whole-log
 * bundle verifies, keep its checkpoint and leaf hashes there for next time. Exit status 0: the bundle verifies;
 * 1: it does not, the first bad record is named; 2: it could not be read.
 */
public final class VerifierMain {

    private VerifierMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path keyFile = null;
        Path saved = null;
        Path save = null;
        Path bundle = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--key" -> keyFile = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--saved" -> saved = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--save" -> save = i + 1 < args.length ? Path.of(args[++i]) : null;
                default -> bundle = Path.of(args[i]);
            }
        }
        if (keyFile == null || bundle == null) {
            System.err.println("usage: java -jar audit-verifier-all.jar --key <public key file> "
                    + "[--saved <saved checkpoint or log>] [--save <file>] <bundle.json>");
            return 2;
        }
        long started = System.nanoTime();
        Verifier.Report report;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            NoteKey key = NoteKey.parse(Files.readString(keyFile));
            report = new Verifier(key, saved == null ? null : Files.readString(saved)).verify(in);
        }
        catch (IOException | IllegalArgumentException e) {
            System.err.println("Cannot verify: " + e.getMessage());
            return 2;
        }
        System.out.printf("bundle: %s%nscope: %s%nrecords: %d%ncheckpoint size: %d%n", bundle, report.scope(),
                report.records(), report.checkpointSize());
        report.notes().forEach(note -> System.out.println("note: " + note));
        if (report.ok()) {
            System.out.printf("VERIFIED in %.1f s: every record, the tree and the checkpoint signatures check out.%n",
                    (System.nanoTime() - started) / 1e9);
            if (save != null && report.tree() != null) {
                try (Writer out = Files.newBufferedWriter(save)) {
                    SavedLog.write(out, report.checkpoint(), report.tree());
                }
                catch (IOException e) {
                    System.err.println("Cannot save: " + e.getMessage());
                    return 2;
                }
                System.out.println("saved the checkpoint and " + report.records() + " leaf hashes to " + save);
            }
            else if (save != null) {
                System.out.println("nothing saved: only a whole-log bundle (all=true) holds every leaf hash");
            }
            return 0;
        }
        System.out.println("NOT VERIFIED" + (report.firstBadRecord() == null ? ""
                : ": the first bad record is record " + report.firstBadRecord()));
        report.problems().stream().limit(20).forEach(problem -> System.out.println("  - " + problem));
        if (report.problems().size() > 20) {
            System.out.println("  ... and " + (report.problems().size() - 20) + " more");
        }
        return 1;
    }
}
