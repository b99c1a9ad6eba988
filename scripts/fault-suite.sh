#!/usr/bin/env bash
# The fault suite: starts the local stack on its own ports and a fresh data folder, then breaks it the ways
# production breaks (Kafka stopped for 60 s under 10,000 task changes; kill -9 of every service and the store under load; the
# store frozen for 30 s; Keycloak stopped) and checks that nothing accepted is lost or recorded twice. Prints a
# result table; exits 1 when a check fails. Takes 15-25 minutes on two busy cores. Linux only (reads /proc, uses ss and kill).
# Usage: scripts/fault-suite.sh [store] [keycloak] [kill] [kafka]      (default: all four, in this order)
# FAULT_CHANGES (10000) and FAULT_CLERKS (8) size the load of the Kafka scenario, FAULT_KILL_CLERKS (2) the load
# while services are killed; FAULT_DRAIN_MINUTES (10) is how long consumers may take to catch up.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${FAULT_DATA:-$PWD/target/fault-suite}
# Ports below Linux's ephemeral range (32768-60999), where a client connection's own port could take one of them.
export STACK_DATA=$DATA GATEWAY_PORT=30080 TASK_SERVICE_PORT=30081 NOTIFY_SERVICE_PORT=30082 \
    AUDIT_SERVICE_PORT=30083 KEYCLOAK_PORT=30180 KAFKA_PORT=30092 KAFKA_CONTROLLER_PORT=30093 MONGO_PORT=30017 \
    SMTP_PORT=30025 IMAP_PORT=30143
# The clerks of the load are two users: lift the gateway's per-user rate limit for this stack only.
export RATE_LIMIT_REQUESTS=1000000

if [ "${FAULT_SKIP_BUILD:-}" != true ]; then
    ./mvnw -q -B -DskipTests -pl deploy/local-stack,benchmarks -am package
fi
rm -rf "$DATA"
mkdir -p "$DATA"
out=$DATA/launcher.out

stop_stack() { # every component, by the port it listens on (the suite starts some of them again itself)
    local pids=()
    for port in $GATEWAY_PORT $TASK_SERVICE_PORT $NOTIFY_SERVICE_PORT $AUDIT_SERVICE_PORT $KEYCLOAK_PORT \
            $SMTP_PORT $IMAP_PORT $KAFKA_PORT $MONGO_PORT; do
        pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
        if [ -n "$pid" ]; then kill -CONT "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    done
    # services first, then Keycloak, Kafka and the store
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 60); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

start_stack() {
    java -cp "deploy/local-stack/target/classes:$(cat deploy/local-stack/target/classpath.txt)" \
        gov.yuancheng.supervision.stack.LocalStack > "$out" 2>&1 &
    launcher=$!
    for _ in $(seq 1 900); do
        grep -q "Press Ctrl-C" "$out" && return 0
        kill -0 $launcher 2>/dev/null || break
        sleep 0.5
    done
    cat "$out"
    kill -KILL $launcher 2>/dev/null || true
    stop_stack
    return 1
}
launcher=
trap 'if [ -n "$launcher" ]; then kill -KILL "$launcher" 2>/dev/null || true; fi; stop_stack' EXIT
# On a busy machine a first start (Keycloak imports the realm) can miss the launcher's time limits; the data
# folder is kept for the second try, which is a warm start.
start_stack || { echo "the stack did not start; trying again"; start_stack; } || { echo "the stack did not start"; exit 1; }
grep -E "ready|Stack ready" "$out"
# The launcher stops the whole stack when one of its processes dies. The suite kills processes on purpose and
# starts them again itself, so the launcher goes (SIGKILL: no shutdown hook) and the processes stay.
kill -KILL $launcher
wait $launcher 2>/dev/null || true

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
set +e
java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    gov.yuancheng.supervision.bench.FaultSuite "$@"
status=$?
set -e
echo "logs: $DATA/logs"
exit $status
