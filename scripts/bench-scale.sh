#!/usr/bin/env bash
# task-service as the stored tasks grow (10,000 → 300,000 open tasks by default): search, statistics and
# registering, p50/p99 and cost per 1,000 tasks, on the real local stack (its Mongo-wire store, Kafka, Keycloak
# tokens), on its own ports and a fresh data folder; then notify-service's reminder sweep at the same sizes.
# Usage: [NOTIFY=no] [SCALE_ROUNDS=100] scripts/bench-scale.sh [sizes=10000,30000,100000,300000]      Output: Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-10000,30000,100000,300000}
DATA=${BENCH_DATA:-$PWD/target/bench-scale}
export MONGO_WIRE_HEAP=${MONGO_WIRE_HEAP:-8g}
. scripts/bench-stack.sh
java -cp "$BENCH_CP" \
    gov.yuancheng.supervision.bench.ScaleRun http://127.0.0.1:28081 http://127.0.0.1:28180 \
    mongodb://127.0.0.1:28017 28017 28081 "$SIZES"
stop_stack
[ "${NOTIFY:-yes}" = yes ] || exit 0

echo
echo "notify-service's reminder sweep (scripts/bench-notify.sh) at the same sizes of open assignments:"
for n in ${SIZES//,/ }; do
    BENCH_HEAP=12g scripts/bench-notify.sh "$n" | grep -E "assignments=|idle sweep|naive scan|burst|heap used"
done
