package gov.yuancheng.supervision.verifier;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a whole-log bundle of n generated records with its public key and a saved checkpoint (for the runnable
 * verifier to check, timed by scripts/bench-audit.sh), and times an inclusion proof at that size.
 */
public final class VerifierBenchmark {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        TestLog log = new TestLog();
        List<TestLog.Entry> entries = TestLog.generate(count);
        MerkleTree tree = new MerkleTree();
        entries.forEach(e -> tree.append(e.leafHash()));
        Files.writeString(dir.resolve("audit.vkey"), log.key.vkey() + "\n");
        Files.writeString(dir.resolve("saved-checkpoint.txt"), log.sign(count / 2, tree.root(count / 2)));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("bundle.json")), 1 << 16)) {
            log.writeLogBundle(out, entries, log.sign(count, tree.root()));
        }

        int rounds = 10_000;
        long[] times = new long[rounds];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < rounds + 1000; i++) {
            long index = random.nextInt(count);
            long started = System.nanoTime();
            List<byte[]> proof = tree.inclusionProof(index, count);
            long took = System.nanoTime() - started;
            if (!Proofs.verifyInclusion(index, count, tree.leafHash(index), proof, tree.root())) {
                throw new IllegalStateException("proof failed");
            }
            if (i >= 1000) {
                times[i - 1000] = took;
            }
        }
        java.util.Arrays.sort(times);
        System.out.printf("inclusion proof at %,d records: median %.3f ms, 99th percentile %.3f ms, max %.3f ms"
                + " (a GC pause) over %,d random records%n", count, times[rounds / 2] / 1e6,
                times[rounds * 99 / 100] / 1e6, times[rounds - 1] / 1e6, rounds);
        System.out.printf("bundle: %s (%,d MB)%n", dir.resolve("bundle.json"),
                Files.size(dir.resolve("bundle.json")) / 1_000_000);
    }
}
