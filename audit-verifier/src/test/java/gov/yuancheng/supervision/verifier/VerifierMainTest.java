package gov.yuancheng.supervision.verifier;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class VerifierMainTest {

    @TempDir
    Path dir;

    @Test
    void theCommandLineAnswersZeroForAGoodBundleOneNamingTheRecordForABadOneAndTwoForBadUsage() throws Exception {
        TestLog log = new TestLog();
        List<TestLog.Entry> entries = TestLog.generate(500);
        Path key = Files.writeString(dir.resolve("audit.vkey"), log.key.vkey() + "\n");
        Path good = dir.resolve("good.json");
        Files.write(good, log.logBundle(entries, log.checkpoint(entries)));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(good).replace("\\\"seq\\\":321,", "\\\"seq\\\":321 ,"));

        assertThat(run("--key", key.toString(), good.toString())).startsWith("0").contains("VERIFIED");
        assertThat(run("--key", key.toString(), bad.toString())).startsWith("1")
                .contains("the first bad record is record 321");
        assertThat(run(good.toString())).startsWith("2");
    }

    @Test
    void aSavedLogWrittenAfterOneVerificationNamesTheFirstRewrittenRecordInTheNext() throws Exception {
        TestLog log = new TestLog();
        List<TestLog.Entry> entries = TestLog.generate(500);
        Path key = Files.writeString(dir.resolve("audit.vkey"), log.key.vkey() + "\n");
        Path first = dir.resolve("first.json");
        Files.write(first, log.logBundle(entries.subList(0, 400), log.checkpoint(entries.subList(0, 400))));
        List<TestLog.Entry> rewritten = TestLog.rechain(entries.subList(0, 210),
                List.of(TestLog.entry(211, new byte[32], "gov.supervision.task.urged.v1", java.time.Instant.EPOCH)), 211);
        rewritten = TestLog.rechain(rewritten, entries.subList(211, 500), 212);
        Path later = dir.resolve("later.json");
        Files.write(later, log.logBundle(rewritten, log.checkpoint(rewritten)));
        Path saved = dir.resolve("saved.txt");

        assertThat(run("--key", key.toString(), "--save", saved.toString(), first.toString())).startsWith("0")
                .contains("saved the checkpoint and 400 leaf hashes");
        assertThat(Files.readAllLines(saved)).hasSize(5 + 1 + 400);
        assertThat(run("--key", key.toString(), later.toString())).startsWith("0");
        assertThat(run("--key", key.toString(), "--saved", saved.toString(), later.toString())).startsWith("1")
                .contains("the first bad record is record 211");
    }

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = VerifierMain.run(args);
            return status + "\n" + captured.toString(StandardCharsets.UTF_8);
        }
        finally {
            System.setOut(out);
        }
    }
}
