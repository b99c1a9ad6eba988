package gov.yuancheng.supervision.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tree against vectors that {@code rfc6962-vectors.py} derives from RFC 6962's own definitions of MTH, PATH and
 * PROOF (its "ct" roots are also the ones certificate-transparency's reference tests publish), and every corruption
 * of a proof rejected.
 */
class MerkleTreeTest {

    record Vector(String kind, String set, long m, long n, List<byte[]> hashes) {
    }

    static final Map<String, List<byte[]>> leaves = new HashMap<>();
    static final Map<String, byte[]> roots = new HashMap<>();
    static final List<Vector> proofs = new ArrayList<>();

    @BeforeAll
    static void readVectors() throws IOException {
        try (InputStream in = MerkleTreeTest.class.getResourceAsStream("/rfc6962-vectors.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "leaves" -> leaves.put(f[1], List.of(f[2].split(",")).stream()
                            .map(h -> h.equals("-") ? new byte[0] : HexFormat.of().parseHex(h)).toList());
                    case "root" -> roots.put(f[1] + "/" + f[2], HexFormat.of().parseHex(f[3]));
                    default -> proofs.add(new Vector(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                            f[4].equals("-") ? List.of()
                                    : List.of(f[4].split(",")).stream().map(HexFormat.of()::parseHex).toList()));
                }
            }
        }
        assertThat(proofs).hasSizeGreaterThan(400);
    }

    static MerkleTree tree(String set) {
        MerkleTree tree = new MerkleTree();
        leaves.get(set).forEach(leaf -> tree.append(Hashes.leaf(leaf)));
        return tree;
    }

    static byte[] root(String set, long n) {
        return roots.get(set + "/" + n);
    }

    @Test
    void theRootOfEveryPrefixIsTheOneTheRfcDefines() {
        for (String set : leaves.keySet()) {
            MerkleTree tree = tree(set);
            for (long n = 0; n <= tree.size(); n++) {
                assertThat(tree.root(n)).as(set + " size " + n).isEqualTo(root(set, n));
            }
        }
        assertThat(HexFormat.of().formatHex(root("ct", 8)))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    }

    @Test
    void theTreeBuildsTheProofsTheRfcDefinesAndTheyVerify() {
        for (Vector v : proofs) {
            MerkleTree tree = tree(v.set());
            if (v.kind().equals("inclusion")) {
                assertThat(tree.inclusionProof(v.m(), v.n())).as(v.toString()).containsExactlyElementsOf(v.hashes());
                assertThat(Proofs.verifyInclusion(v.m(), v.n(), tree.leafHash(v.m()), v.hashes(), root(v.set(), v.n())))
                        .as(v.toString()).isTrue();
            }
            else {
                assertThat(tree.consistencyProof(v.m(), v.n())).as(v.toString()).containsExactlyElementsOf(v.hashes());
                assertThat(Proofs.verifyConsistency(v.m(), v.n(), v.hashes(), root(v.set(), v.m()), root(v.set(), v.n())))
                        .as(v.toString()).isTrue();
            }
        }
    }

    @Test
    void everyCorruptionOfAnInclusionProofIsRejected() {
        for (Vector v : proofs) {
            if (!v.kind().equals("inclusion")) {
                continue;
            }
            String set = v.set();
            long m = v.m();
            long n = v.n();
            byte[] leaf = Hashes.leaf(leaves.get(set).get((int) m));
            for (List<byte[]> bad : corruptions(v.hashes())) {
                assertThat(Proofs.verifyInclusion(m, n, leaf, bad, root(set, n))).as("corrupted " + v).isFalse();
            }
            for (long other = 0; other < n; other++) {
                if (other != m) {
                    assertThat(Proofs.verifyInclusion(other, n, leaf, v.hashes(), root(set, n)))
                            .as("wrong index %d for %s", other, v).isFalse();
                }
            }
            if (n + 1 < leaves.get(set).size()) {
                assertThat(Proofs.verifyInclusion(m, n + 1, leaf, v.hashes(), root(set, n + 1))).as("size+1 " + v)
                        .isFalse();
            }
            if (m < n - 1) {
                assertThat(Proofs.verifyInclusion(m, n - 1, leaf, v.hashes(), root(set, n - 1))).as("size-1 " + v)
                        .isFalse();
            }
            assertThat(Proofs.verifyInclusion(m, n, flip(leaf, 0), v.hashes(), root(set, n))).isFalse();
            assertThat(Proofs.verifyInclusion(m, n, leaf, v.hashes(), flip(root(set, n), 255))).isFalse();
            assertThat(Proofs.verifyInclusion(m + n, n, leaf, v.hashes(), root(set, n))).isFalse();
        }
    }

    @Test
    void everyCorruptionOfAConsistencyProofIsRejected() {
        for (Vector v : proofs) {
            if (!v.kind().equals("consistency")) {
                continue;
            }
            String set = v.set();
            long m = v.m();
            long n = v.n();
            for (List<byte[]> bad : corruptions(v.hashes())) {
                assertThat(Proofs.verifyConsistency(m, n, bad, root(set, m), root(set, n))).as("corrupted " + v)
                        .isFalse();
            }
            if (m < n) {
                assertThat(Proofs.verifyConsistency(m, n, v.hashes(), root(set, n), root(set, m))).as("swapped " + v)
                        .isFalse();
                assertThat(Proofs.verifyConsistency(m + 1, n, v.hashes(), root(set, m + 1), root(set, n)))
                        .as("first+1 " + v).isFalse();
            }
            if (m > 1) {
                assertThat(Proofs.verifyConsistency(m - 1, n, v.hashes(), root(set, m - 1), root(set, n)))
                        .as("first-1 " + v).isFalse();
            }
            if (n + 1 < leaves.get(set).size()) {
                assertThat(Proofs.verifyConsistency(m, n + 1, v.hashes(), root(set, m), root(set, n + 1)))
                        .as("second+1 " + v).isFalse();
            }
            if (n - 1 > m) {
                assertThat(Proofs.verifyConsistency(m, n - 1, v.hashes(), root(set, m), root(set, n - 1)))
                        .as("second-1 " + v).isFalse();
            }
            assertThat(Proofs.verifyConsistency(m, n, v.hashes(), flip(root(set, m), 3), root(set, n))).isFalse();
            assertThat(Proofs.verifyConsistency(m, n, v.hashes(), root(set, m), flip(root(set, n), 3))).isFalse();
        }
    }

    @Test
    void aProofAtAMillionLeavesIsShortAndVerifies() {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 1_000_000; i++) {
            tree.append(Hashes.leaf(Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        List<byte[]> proof = tree.inclusionProof(777_777, 1_000_000);
        assertThat(proof).hasSize(20);
        assertThat(Proofs.verifyInclusion(777_777, 1_000_000, tree.leafHash(777_777), proof, tree.root())).isTrue();
        assertThat(Proofs.verifyConsistency(999_999, 1_000_000, tree.consistencyProof(999_999, 1_000_000),
                tree.root(999_999), tree.root())).isTrue();
    }

    /** Each element with a flipped bit, truncated at either end, extended at either end, reordered. */
    static List<List<byte[]>> corruptions(List<byte[]> proof) {
        List<List<byte[]>> bad = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            for (int bit : new int[] {0, 7, 128, 255}) {
                List<byte[]> flipped = new ArrayList<>(proof);
                flipped.set(i, flip(proof.get(i), bit));
                bad.add(flipped);
            }
        }
        if (!proof.isEmpty()) {
            bad.add(proof.subList(0, proof.size() - 1));
            bad.add(proof.subList(1, proof.size()));
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(new byte[Hashes.SIZE]);
        bad.add(longer);
        List<byte[]> prefixed = new ArrayList<>(proof);
        prefixed.add(0, Hashes.empty());
        bad.add(prefixed);
        if (proof.size() > 1) {
            List<byte[]> repeated = new ArrayList<>(proof);
            repeated.add(proof.get(proof.size() - 1));
            bad.add(repeated);
            List<byte[]> reversed = new ArrayList<>(proof);
            java.util.Collections.reverse(reversed);
            if (!reversed.equals(proof)) {
                bad.add(reversed);
            }
        }
        return bad;
    }

    static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
