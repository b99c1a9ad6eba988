#!/usr/bin/env bash
# task-service as the stored tasks grow (10,000 → 300,000 open tasks by default): search, statistics and
# registering, p50/p99 and cost per 1,000 tasks, on the real local stack (its Mongo-wire store, Kafka, Keycloak
# tokens), on its own ports and a fresh data folder; then notify-service's reminder sweep at the same sizes.
# Usage: [NOTIFY=no] scripts/bench-scale.sh [sizes=10000,30000,100000,300000]      Output: Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-10000,30000,100000,300000}
DATA=${BENCH_DATA:-$PWD/target/bench-scale}
export MONGO_WIRE_HEAP=${MONGO_WIRE_HEAP:-8g}
export STACK_DATA=$DATA GATEWAY_PORT=28080 TASK_SERVICE_PORT=28081 NOTIFY_SERVICE_PORT=28082 \
    AUDIT_SERVICE_PORT=28083 KEYCLOAK_PORT=28180 KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 MONGO_PORT=28017

./mvnw -q -B -DskipTests -pl deploy/local-stack,benchmarks -am package
rm -rf "$DATA"
out=$(mktemp)
java -cp "deploy/local-stack/target/classes:$(cat deploy/local-stack/target/classpath.txt)" \
    gov.yuancheng.supervision.stack.LocalStack > "$out" 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 600); do
    grep -q "Press Ctrl-C" "$out" && break
    kill -0 $stack 2>/dev/null || { cat "$out"; exit 1; }
    sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); store heap $MONGO_WIRE_HEAP"
java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    gov.yuancheng.supervision.bench.ScaleRun http://127.0.0.1:28081 http://127.0.0.1:28180 \
    mongodb://127.0.0.1:28017 28017 28081 "$SIZES"
kill -TERM $stack; wait $stack 2>/dev/null || true
trap 'rm -f "$out"' EXIT
[ "${NOTIFY:-yes}" = yes ] || exit 0

echo
echo "notify-service's reminder sweep (scripts/bench-notify.sh) at the same sizes of open assignments:"
for n in ${SIZES//,/ }; do
    BENCH_HEAP=12g scripts/bench-notify.sh "$n" | grep -E "assignments=|idle sweep|naive scan|heap used"
done
