package gov.yuancheng.supervision.verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree over leaf hashes, with the proofs of RFC 6962 section 2.1.1 and 2.1.2.
 * Every complete power-of-two subtree's hash is kept (twice the leaves in all), so a root or a proof at any
 * size costs O(log² n) hashes instead of rehashing the whole log.
 */
public final class MerkleTree {

    /** level[l] holds the hashes of the complete subtrees of 2^l leaves, left to right, 32 bytes each. */
    private final List<byte[]> levels = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();

    public long size() {
        return levels.isEmpty() ? 0 : counts.get(0);
    }

    public void append(byte[] leafHash) {
        if (leafHash.length != Hashes.SIZE) {
            throw new IllegalArgumentException("A leaf hash has 32 bytes");
        }
        put(0, leafHash);
        int level = 0;
        while (counts.get(level) % 2 == 0) {
            int n = counts.get(level);
            put(level + 1, Hashes.node(get(level, n - 2), get(level, n - 1)));
            level++;
        }
    }

    public byte[] leafHash(long index) {
        checkRange(index, size());
        return get(0, (int) index);
    }

    public byte[] root() {
        return root(size());
    }

    public byte[] root(long treeSize) {
        checkSize(treeSize);
        return hash(0, treeSize);
    }

    /** PATH(m, D[n]): the audit path of leaf {@code index} in the tree of the first {@code treeSize} leaves. */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        checkRange(index, treeSize);
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /** PROOF(m, D[n]): proves the tree of the first {@code first} leaves is a prefix of the one of {@code second}. */
    public List<byte[]> consistencyProof(long first, long second) {
        checkSize(second);
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("A consistency proof needs 0 < first <= second");
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(first, 0, second, true, proof);
        return proof;
    }

    private void path(long m, long lo, long hi, List<byte[]> proof) {
        long n = hi - lo;
        if (n == 1) {
            return;
        }
        long k = splitPoint(n);
        if (m < k) {
            path(m, lo, lo + k, proof);
            proof.add(hash(lo + k, hi));
        }
        else {
            path(m - k, lo + k, hi, proof);
            proof.add(hash(lo, lo + k));
        }
    }

    private void subproof(long m, long lo, long hi, boolean complete, List<byte[]> proof) {
        long n = hi - lo;
        if (m == n) {
            if (!complete) {
                proof.add(hash(lo, hi));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, lo, lo + k, complete, proof);
            proof.add(hash(lo + k, hi));
        }
        else {
            subproof(m - k, lo + k, hi, false, proof);
            proof.add(hash(lo, lo + k));
        }
    }

    /** MTH(D[lo:hi]), from the stored complete subtrees wherever the range is one. */
    private byte[] hash(long lo, long hi) {
        long n = hi - lo;
        if (n == 0) {
            return Hashes.empty();
        }
        if (Long.bitCount(n) == 1 && lo % n == 0) {
            return get(Long.numberOfTrailingZeros(n), (int) (lo / n));
        }
        long k = splitPoint(n);
        return Hashes.node(hash(lo, lo + k), hash(lo + k, hi));
    }

    /** The largest power of two smaller than n (n > 1). */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    private void put(int level, byte[] hash) {
        if (levels.size() == level) {
            levels.add(new byte[Hashes.SIZE * 1024]);
            counts.add(0);
        }
        int n = counts.get(level);
        byte[] store = levels.get(level);
        if ((long) (n + 1) * Hashes.SIZE > store.length) {
            long grown = Math.min((long) store.length * 2, Integer.MAX_VALUE - 64);
            store = Arrays.copyOf(store, (int) grown);
            levels.set(level, store);
        }
        System.arraycopy(hash, 0, store, n * Hashes.SIZE, Hashes.SIZE);
        counts.set(level, n + 1);
    }

    private byte[] get(int level, int index) {
        return Arrays.copyOfRange(levels.get(level), index * Hashes.SIZE, (index + 1) * Hashes.SIZE);
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new IllegalArgumentException("The tree has " + size() + " leaves, not " + treeSize);
        }
    }

    private static void checkRange(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("Leaf " + index + " is not in a tree of " + treeSize);
        }
    }
}
