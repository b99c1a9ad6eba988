#!/usr/bin/env bash
# Builds what is needed and starts the whole system on this machine: Kafka (KRaft), the Mongo-wire
# store, Keycloak and the four services, all on 127.0.0.1. Ctrl-C stops everything. Data is kept
# in .stack/ (STACK_DATA), ports can be changed with GATEWAY_PORT, KEYCLOAK_PORT, ... (see README).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests -pl deploy/local-stack -am package
exec java -cp "deploy/local-stack/target/classes:$(cat deploy/local-stack/target/classpath.txt)" \
    gov.yuancheng.supervision.stack.LocalStack
