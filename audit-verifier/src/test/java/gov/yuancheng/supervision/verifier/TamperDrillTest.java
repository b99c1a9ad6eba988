package gov.yuancheng.supervision.verifier;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tamper drill on a generated log of 100,000 records: every way of changing the stored log that the issue names
 * is caught, and the verifier names the record.
 */
class TamperDrillTest {

    static final int SIZE = 100_000;
    static TestLog log;
    static List<TestLog.Entry> entries;
    static String checkpoint;

    @BeforeAll
    static void generate() {
        log = new TestLog();
        entries = TestLog.generate(SIZE);
        checkpoint = log.checkpoint(entries);
    }

    Verifier.Report verify(List<TestLog.Entry> records, String signedCheckpoint, String saved) {
        return verify(log.logBundle(records, signedCheckpoint), saved);
    }

    Verifier.Report verify(byte[] bundle, String saved) {
        return new Verifier(log.key, saved).verify(new ByteArrayInputStream(bundle));
    }

    @Test
    void theUntouchedLogVerifiesAndIsConsistentWithASavedCheckpoint() {
        String saved = log.checkpoint(entries.subList(0, 60_000));
        Verifier.Report report = verify(entries, checkpoint, saved);
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(SIZE);
        assertThat(report.notes()).anyMatch(note -> note.contains("saved checkpoint of size 60000"));
    }

    @Test
    void aFlippedByteInARecordIsNamed() {
        List<TestLog.Entry> tampered = new ArrayList<>(entries);
        TestLog.Entry victim = entries.get(54_320);
        tampered.set(54_320, new TestLog.Entry(victim.seq(), flipPercent(victim.leaf()), victim.leafHash()));

        Verifier.Report report = verify(tampered, checkpoint, null);

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadRecord()).isEqualTo(54_321L);
    }

    @Test
    void aFlippedByteWhoseLeafHashWasRecomputedIsNamedByTheChain() {
        List<TestLog.Entry> tampered = new ArrayList<>(entries);
        TestLog.Entry victim = entries.get(54_320);
        byte[] leaf = flipPercent(victim.leaf());
        tampered.set(54_320, new TestLog.Entry(victim.seq(), leaf, Hashes.leaf(leaf)));

        Verifier.Report report = verify(tampered, checkpoint, null);

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadRecord()).isEqualTo(54_321L);
    }

    @Test
    void aDeletedRecordIsNamed() {
        List<TestLog.Entry> tampered = new ArrayList<>(entries);
        tampered.remove(776);

        Verifier.Report report = verify(tampered, checkpoint, null);

        assertThat(report.firstBadRecord()).isEqualTo(777L);
        assertThat(report.problems().get(0)).contains("record 777 is missing");
    }

    @Test
    void twoSwappedRecordsAreNamed() {
        List<TestLog.Entry> tampered = new ArrayList<>(entries);
        java.util.Collections.swap(tampered, 999, 1999);

        Verifier.Report report = verify(tampered, checkpoint, null);

        assertThat(report.firstBadRecord()).isEqualTo(1000L);
    }

    @Test
    void aForgedRecordInsertedWithAValidChainLinkIsNamed() {
        List<TestLog.Entry> tampered = new ArrayList<>(entries);
        TestLog.Entry forged = TestLog.entry(4242, entries.get(4240).leafHash(), "gov.supervision.task.reviewed.v1",
                Instant.parse("2026-03-03T00:00:00Z"));
        tampered.add(4241, forged);

        Verifier.Report report = verify(tampered, checkpoint, null);

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadRecord()).isEqualTo(4242L);
    }

    @Test
    void aTruncatedTailIsNamed() {
        Verifier.Report report = verify(entries.subList(0, SIZE - 10), checkpoint, null);

        assertThat(report.firstBadRecord()).isEqualTo(99_991L);
        assertThat(report.problems().get(0)).contains("cut short");
    }

    @Test
    void aRollbackResignedWithTheRealKeyIsCaughtByTheSavedCheckpointAndNamed() {
        String saved = checkpoint;
        List<TestLog.Entry> rolledBack = entries.subList(0, 90_000);
        String resigned = log.checkpoint(rolledBack);

        Verifier.Report alone = verify(rolledBack, resigned, null);
        Verifier.Report withSaved = verify(rolledBack, resigned, saved);

        assertThat(alone.ok()).as("a re-signed rollback is self-consistent").isTrue();
        assertThat(withSaved.ok()).isFalse();
        assertThat(withSaved.firstBadRecord()).isEqualTo(90_001L);
        assertThat(withSaved.problems().get(0)).contains("rolled back");
    }

    @Test
    void aRollbackFollowedByForgedAppendsResignedWithTheRealKeyIsNamedByTheSavedLog() {
        List<TestLog.Entry> rewritten = new ArrayList<>(entries.subList(0, 90_000));
        byte[] prev = rewritten.get(rewritten.size() - 1).leafHash();
        for (long seq = 90_001; seq <= SIZE; seq++) {
            TestLog.Entry forged = TestLog.entry(seq, prev, "gov.supervision.task.urged.v1",
                    Instant.parse("2026-03-04T00:00:00Z"));
            rewritten.add(forged);
            prev = forged.leafHash();
        }
        String resigned = log.checkpoint(rewritten);
        List<TestLog.Entry> shorter = rewritten.subList(0, 95_000);

        Verifier.Report alone = verify(rewritten, resigned, null);
        Verifier.Report checkpointOnly = verify(rewritten, resigned, log.checkpoint(entries.subList(0, 95_000)));
        Verifier.Report savedLog = verify(rewritten, resigned, log.savedLog(entries.subList(0, 95_000)));
        Verifier.Report savedWhole = verify(shorter, log.checkpoint(shorter), log.savedLog(entries));

        assertThat(alone.ok()).as("re-signed with the real key, the forgery is self-consistent").isTrue();
        assertThat(checkpointOnly.ok()).isFalse();
        assertThat(checkpointOnly.problems()).anyMatch(p -> p.contains("rewritten"));
        assertThat(checkpointOnly.firstBadRecord()).as("a root alone cannot tell which record").isNull();
        assertThat(savedLog.firstBadRecord()).isEqualTo(90_001L);
        assertThat(savedLog.problems().get(0)).contains("record 90001", "rewritten");
        assertThat(savedWhole.firstBadRecord()).isEqualTo(90_001L);
    }

    @Test
    void aWholeLogRechainedFromOneChangedRecordAndResignedWithTheRealKeyIsNamedByTheSavedLog() {
        List<TestLog.Entry> changed = new ArrayList<>(entries.subList(31_336, SIZE));
        changed.set(0, new TestLog.Entry(31_337, flipPercent(changed.get(0).leaf()), changed.get(0).leafHash()));
        List<TestLog.Entry> rechained = TestLog.rechain(entries.subList(0, 31_336), changed, 31_337);

        Verifier.Report alone = verify(rechained, log.checkpoint(rechained), null);
        Verifier.Report report = verify(rechained, log.checkpoint(rechained), log.savedLog(entries.subList(0, 60_000)));

        assertThat(alone.ok()).isTrue();
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadRecord()).isEqualTo(31_337L);
    }

    @Test
    void aForgedRecordInsertedWithTheLaterOnesRenumberedAndRechainedIsNamedByTheSavedLog() {
        TestLog.Entry forged = TestLog.entry(4242, entries.get(4240).leafHash(), "gov.supervision.task.reviewed.v1",
                Instant.parse("2026-03-03T00:00:00Z"));
        List<TestLog.Entry> tail = new ArrayList<>(entries.subList(4241, SIZE));
        tail.add(0, forged);
        List<TestLog.Entry> tampered = TestLog.rechain(entries.subList(0, 4241), tail, 4242);

        Verifier.Report alone = verify(tampered, checkpoint, null);
        Verifier.Report report = verify(tampered, checkpoint, log.savedLog(entries.subList(0, 50_000)));

        assertThat(alone.ok()).as("the checkpoint signed before the insert no longer matches").isFalse();
        assertThat(alone.firstBadRecord()).as("not the uncovered tail: the change lies before it").isNull();
        assertThat(report.firstBadRecord()).isEqualTo(4242L);
    }

    @Test
    void aTaskBundleIsCheckedOfflineAgainstASavedCheckpointThroughTheConsistencyProofFromItsSize() {
        String saved = log.checkpoint(entries.subList(0, 60_000));
        List<TestLog.Entry> changed = new ArrayList<>(entries.subList(12_344, SIZE));
        changed.set(0, new TestLog.Entry(12_345, flipPercent(changed.get(0).leaf()), changed.get(0).leafHash()));
        List<TestLog.Entry> rechained = TestLog.rechain(entries.subList(0, 12_344), changed, 12_345);
        long[] task = {5, 12_345, 70_000};

        Verifier.Report good = verify(taskBundle(entries, task, 60_000L), saved);
        Verifier.Report noProof = verify(taskBundle(entries, task, null), saved);
        Verifier.Report forged = verify(taskBundle(rechained, task, 60_000L), saved);
        Verifier.Report named = verify(taskBundle(rechained, task, 60_000L),
                log.savedLog(entries.subList(0, 60_000)));

        assertThat(good.problems()).isEmpty();
        assertThat(good.notes()).anyMatch(note -> note.contains("saved checkpoint of size 60000"));
        assertThat(noProof.notes()).anyMatch(note -> note.contains("since=60000"));
        assertThat(forged.ok()).isFalse();
        assertThat(forged.problems()).anyMatch(p -> p.contains("rewritten"));
        assertThat(named.firstBadRecord()).isEqualTo(12_345L);
    }

    /** A task bundle of the given records, its checkpoint signed over all the entries, with or without {@code since}. */
    static byte[] taskBundle(List<TestLog.Entry> all, long[] seqs, Long since) {
        MerkleTree tree = new MerkleTree();
        all.forEach(e -> tree.append(e.leafHash()));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(out, log.key.vkey(), java.util.Map.of("kind", "task"),
                log.sign(tree.size(), tree.root()), List.of(),
                since == null ? null : new BundleWriter.Since(since, tree.consistencyProof(since, tree.size())))) {
            for (long seq : seqs) {
                TestLog.Entry entry = all.get((int) seq - 1);
                writer.record(seq, entry.leaf(), entry.leafHash(), tree.inclusionProof(seq - 1, tree.size()));
            }
        }
        return out.toByteArray();
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() {
        TestLog stranger = new TestLog();
        Verifier.Report report = verify(entries.subList(0, 10), stranger.checkpoint(entries.subList(0, 10)), null);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems().get(0)).contains("not signed by");
    }

    /** Changes one digit of the reported percentage: the kind of edit someone with write access to the store makes. */
    static byte[] flipPercent(byte[] leaf) {
        String text = new String(leaf, StandardCharsets.UTF_8);
        int at = text.indexOf("\"percent\":") + "\"percent\":".length();
        char digit = text.charAt(at);
        return (text.substring(0, at) + (digit == '9' ? '8' : (char) (digit + 1)) + text.substring(at + 1))
                .getBytes(StandardCharsets.UTF_8);
    }
}
