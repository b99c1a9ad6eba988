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
