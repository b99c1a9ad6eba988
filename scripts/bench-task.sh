#!/usr/bin/env bash
# Load benchmark of task-service on the real local stack (its Mongo-wire store, Kafka, Keycloak
# tokens): a mixed lifecycle workload, then search over many tasks. Runs on its own ports and a
# fresh data folder. Usage: scripts/bench-task.sh [seconds=60] [clerks=8] [search-tasks=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-60}; CLERKS=${2:-8}; SEARCH_TASKS=${3:-100000}
DATA=${BENCH_DATA:-$PWD/target/bench-task}
# The store keeps its page cache and its documents' encodings (a sixth of its heap each) on the heap: at 3g, after
# seven minutes of this load its collector took a third of the store's CPU; at 6g an eighth.
export MONGO_WIRE_HEAP=${MONGO_WIRE_HEAP:-6g}
. scripts/bench-stack.sh
java -cp "$BENCH_CP" \
    gov.yuancheng.supervision.bench.TaskServiceLoad http://127.0.0.1:28081 http://127.0.0.1:28180 \
    mongodb://127.0.0.1:28017 "$SECONDS_RUN" "$CLERKS" "$SEARCH_TASKS"
