#!/usr/bin/env bash
# Benchmarks of the audit trail: append throughput on the local Mongo-wire store (with the store's raw insert rate
# for comparison), an inclusion proof at 1,000,000 records, and the offline verifier over a 1,000,000-record bundle.
# Usage: scripts/bench-audit.sh [records to verify, default 1000000] [appends, default 10000]
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-1000000}
APPENDS=${2:-10000}
OUT=audit-verifier/target/bench
JAVA=${JAVA:-java}

echo "== building audit-verifier and audit-service (tests skipped)"
./mvnw -q -B -pl audit-service -am install -DskipTests >/dev/null
./mvnw -q -B -o -pl audit-verifier,audit-service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null

echo "== generating a bundle of $RECORDS records; timing inclusion proofs"
"$JAVA" -Xmx2g -cp "audit-verifier/target/test-classes:audit-verifier/target/classes:$(cat audit-verifier/target/bench.classpath)" \
  gov.yuancheng.supervision.verifier.VerifierBenchmark "$RECORDS" "$OUT"

echo "== offline verifier over the whole bundle (java -jar, as an inspector runs it)"
JAR=$(ls audit-verifier/target/audit-verifier-*-all.jar)
start=$(date +%s.%N)
"$JAVA" -jar "$JAR" --key "$OUT/audit.vkey" --saved "$OUT/saved-checkpoint.txt" --save "$OUT/saved-log.txt" "$OUT/bundle.json"
end=$(date +%s.%N)
printf 'full verification of %d records: %.1f s wall clock, JVM start included\n' "$RECORDS" "$(echo "$end - $start" | bc)"

echo "== the same bundle against the saved log just written (every leaf hash compared with the saved one)"
start=$(date +%s.%N)
"$JAVA" -jar "$JAR" --key "$OUT/audit.vkey" --saved "$OUT/saved-log.txt" "$OUT/bundle.json" | grep -E "VERIFIED|note"
end=$(date +%s.%N)
printf 'full verification against a saved log of %d records: %.1f s wall clock\n' "$RECORDS" "$(echo "$end - $start" | bc)"

echo "== the same bundle with one byte changed in record $((RECORDS * 7 / 10)): the verifier must name it"
sed "s/\\\\\"seq\\\\\":$((RECORDS * 7 / 10)),/\\\\\"seq\\\\\":$((RECORDS * 7 / 10)) ,/" "$OUT/bundle.json" > "$OUT/tampered.json"
if "$JAVA" -jar "$JAR" --key "$OUT/audit.vkey" "$OUT/tampered.json" | grep -E "NOT VERIFIED|^  - " | head -3; then :; fi
rm -f "$OUT/tampered.json" "$OUT/saved-log.txt"

echo "== append throughput"
"$JAVA" -Dlogback.configurationFile=audit-service/src/test/resources/logback-bench.xml -cp "audit-service/target/test-classes:audit-service/target/classes:$(cat audit-service/target/bench.classpath)" \
  gov.yuancheng.supervision.audit.bench.AppendBenchmark "$APPENDS"
