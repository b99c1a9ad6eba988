#!/usr/bin/env bash
# Measures the local stack: seconds until every component is healthy, and the resident memory of
# all its processes together once it is up. Runs on its own ports and data folder, so it does not
# disturb a running stack. Usage: scripts/measure-stack.sh [fresh|warm]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${MEASURE_DATA:-$PWD/target/measure-stack}
export STACK_DATA=$DATA GATEWAY_PORT=28080 TASK_SERVICE_PORT=28081 NOTIFY_SERVICE_PORT=28082 \
    AUDIT_SERVICE_PORT=28083 KEYCLOAK_PORT=28180 KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 MONGO_PORT=28017

./mvnw -q -B -DskipTests -pl deploy/local-stack -am package
CP="deploy/local-stack/target/classes:$(cat deploy/local-stack/target/classpath.txt)"

rss_of_tree() { # total resident memory (KiB) of a process and all its descendants
    ps -eo pid=,ppid=,rss= | awk -v root="$1" '
        { parent[$1]=$2; rss[$1]=$3 }
        END { for (p in parent) { q=p; while (q != "" && q != 0 && q != root) q=parent[q];
              if (q == root) total += rss[p] } print total }'
}

measure() {
    local label=$1 out
    out=$(mktemp)
    java -cp "$CP" gov.yuancheng.supervision.stack.LocalStack > "$out" 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do
        grep -q "Press Ctrl-C" "$out" && break
        if ! kill -0 $pid 2>/dev/null; then cat "$out"; exit 1; fi
        sleep 0.5
    done
    sleep 10 # let the JVMs settle after start-up before reading memory
    local ready kib
    ready=$(grep -o "Stack ready in [0-9.]* s" "$out" | grep -o "[0-9.]*")
    kib=$(rss_of_tree $pid)
    grep -E "^\s+\[" "$out" | while read -r line; do
        cpid=$(echo "$line" | grep -o "pid [0-9]*" | grep -o "[0-9]*")
        printf '%s  %4d MiB\n' "$line" $(( $(rss_of_tree "$cpid") / 1024 ))
    done
    printf '%-6s start: all healthy in %s s; resident memory of all processes: %d MiB\n' "$label" "$ready" $((kib / 1024))
    kill -TERM $pid; wait $pid || true
    rm -f "$out"
}

case "${1:-both}" in
    fresh) rm -rf "$DATA"; measure fresh ;;
    warm) measure warm ;;
    both) rm -rf "$DATA"; measure fresh; measure warm ;;
esac
