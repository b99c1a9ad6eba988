package gov.yuancheng.supervision.verifier;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Verification of inclusion and consistency proofs, as RFC 9162 sections 2.1.3.2 and 2.1.4.2 give the algorithms. */
public final class Proofs {

    private Proofs() {
    }

    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize || !wellFormed(proof) || leafHash.length != Hashes.SIZE) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Hashes.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else {
                r = Hashes.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    public static boolean verifyConsistency(long first, long second, List<byte[]> proof, byte[] firstRoot,
            byte[] secondRoot) {
        if (first < 1 || first > second || !wellFormed(proof)) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        List<byte[]> c = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            c.add(0, firstRoot);
        }
        if (c.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = c.get(0);
        byte[] sr = c.get(0);
        for (byte[] p : c.subList(1, c.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Hashes.node(p, fr);
                sr = Hashes.node(p, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else {
                sr = Hashes.node(sr, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean wellFormed(List<byte[]> proof) {
        return proof.size() <= 64 && proof.stream().allMatch(p -> p != null && p.length == Hashes.SIZE);
    }
}
