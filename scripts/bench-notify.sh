#!/usr/bin/env bash
# Benchmarks notify-service's reminder sweep: loads N open assignments (default 100,000) with their planned
# reminders into an in-process Mongo-wire store (over the wire), then prints one idle sweep's time and
# allocation, a naive unindexed scan for comparison, the store's raw insert rate, and due-to-sent times.
# Usage: scripts/bench-notify.sh [assignments]      Output: lines starting with BENCH.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
./mvnw -q -B -pl notify-service -am test -Dtest=ReminderSweepBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.assignments="$N" -DenableAssertions=false -DargLine="-Xmx${BENCH_HEAP:-6g} -Dbench.assignments=$N" >/dev/null
grep -h '^BENCH' notify-service/target/surefire-reports/*ReminderSweepBenchmark-output.txt
