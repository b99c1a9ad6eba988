# Derives RFC 6962 test vectors straight from the definitions of section 2.1 (MTH, PATH, PROOF/SUBPROOF),
# independently of the Java code under test. Regenerate with: python3 rfc6962-vectors.py > rfc6962-vectors.txt
import hashlib

def H(b): return hashlib.sha256(b).digest()
def k_of(n):
    k = 1
    while k * 2 < n: k *= 2
    return k
def MTH(D):
    if len(D) == 0: return H(b"")
    if len(D) == 1: return H(b"\x00" + D[0])
    k = k_of(len(D))
    return H(b"\x01" + MTH(D[:k]) + MTH(D[k:]))
def PATH(m, D):
    if len(D) == 1: return []
    k = k_of(len(D))
    if m < k: return PATH(m, D[:k]) + [MTH(D[k:])]
    return PATH(m - k, D[k:]) + [MTH(D[:k])]
def SUBPROOF(m, D, b):
    n = len(D)
    if m == n: return [] if b else [MTH(D)]
    k = k_of(n)
    if m <= k: return SUBPROOF(m, D[:k], b) + [MTH(D[k:])]
    return SUBPROOF(m - k, D[k:], False) + [MTH(D[:k])]
def PROOF(m, D): return SUBPROOF(m, D, True)

sets = {
    "ct": [bytes.fromhex(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f"]],
    "gen": [("leaf %d" % i).encode() for i in range(21)],
}
for name, leaves in sets.items():
    print("leaves", name, ",".join(l.hex() or "-" for l in leaves))
    for n in range(0, len(leaves) + 1):
        print("root", name, n, MTH(leaves[:n]).hex())
    for n in range(1, len(leaves) + 1):
        for m in range(n):
            print("inclusion", name, m, n, ",".join(h.hex() for h in PATH(m, leaves[:n])) or "-")
        for m in range(1, n + 1):
            print("consistency", name, m, n, ",".join(h.hex() for h in PROOF(m, leaves[:n])) or "-")
