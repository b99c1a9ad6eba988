# Sourced by the benchmark scripts, from the repository's root with $DATA set: builds the launcher and the
# benchmarks, starts the local stack on the benchmark ports (gateway 28080, task 28081, notify 28082, audit 28083,
# Keycloak 28180, Kafka 29092/29093, store 28017) on a fresh data folder $DATA, waits until it is up, and stops it
# when the script exits or calls stop_stack. Sets BENCH_CP, the benchmarks' classpath.
# The services run as a server would run them, with both of the JVM's compilers (the local stack's default is the client
# compiler alone, for quick starts on a laptop: it costs twice the CPU per request once the load has run a while).
export SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -Xss512k}
export STACK_DATA=$DATA GATEWAY_PORT=28080 TASK_SERVICE_PORT=28081 NOTIFY_SERVICE_PORT=28082 \
    AUDIT_SERVICE_PORT=28083 KEYCLOAK_PORT=28180 KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 MONGO_PORT=28017

./mvnw -q -B -DskipTests -pl deploy/local-stack,benchmarks -am package
rm -rf "$DATA"
stack_out=$(mktemp)
java -cp "deploy/local-stack/target/classes:$(cat deploy/local-stack/target/classpath.txt)" \
    gov.yuancheng.supervision.stack.LocalStack > "$stack_out" 2>&1 &
stack=$!
stop_stack() {
    kill -TERM $stack 2>/dev/null || true
    wait $stack 2>/dev/null || true
    rm -f "$stack_out"
}
trap stop_stack EXIT
for _ in $(seq 1 600); do
    grep -q "Press Ctrl-C" "$stack_out" && break
    kill -0 $stack 2>/dev/null || { cat "$stack_out"; exit 1; }
    sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); store heap ${MONGO_WIRE_HEAP:-768m}; services: $SERVICE_JAVA_OPTS"
BENCH_CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
