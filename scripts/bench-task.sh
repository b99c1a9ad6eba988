#!/usr/bin/env bash
# Load benchmark of task-service on the real local stack (its Mongo-wire store, Kafka, Keycloak
# tokens): a mixed lifecycle workload, then search over many tasks. Runs on its own ports and a
# fresh data folder. Usage: scripts/bench-task.sh [seconds=60] [clerks=8] [search-tasks=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-60}; CLERKS=${2:-8}; SEARCH_TASKS=${3:-100000}
DATA=${BENCH_DATA:-$PWD/target/bench-task}
export MONGO_WIRE_HEAP=${MONGO_WIRE_HEAP:-3g}
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
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1)"
java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    gov.yuancheng.supervision.bench.TaskServiceLoad http://127.0.0.1:28081 http://127.0.0.1:28180 \
    mongodb://127.0.0.1:28017 "$SECONDS_RUN" "$CLERKS" "$SEARCH_TASKS"
