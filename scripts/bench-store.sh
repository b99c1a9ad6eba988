#!/usr/bin/env bash
# Benchmarks the local Mongo-wire store's durable writes: rounds of 100,000 inserts with random ids, a hundred per
# command, over the wire. Usage: scripts/bench-store.sh [rounds, default 3]      Output: lines starting with BENCH.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
./mvnw -q -B -pl deploy/mongo-wire -am test -Dtest=StoreInsertBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -DenableAssertions=false -DargLine="-Xmx2g -Dbench.rounds=$ROUNDS" >/dev/null
grep -h '^BENCH' deploy/mongo-wire/target/surefire-reports/*StoreInsertBenchmark-output.txt
