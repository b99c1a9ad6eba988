#!/usr/bin/env bash
# Run by the compose job kafka-init: creates every topic the services use, with replication factor 3 and
# min.insync.replicas 2. Automatic topic creation is off on the brokers, so the dead-letter topics are here too.
# Safe to run again (--if-not-exists). Usage: kafka-topics.sh <bootstrap servers>
set -euo pipefail
bootstrap="$1"
partitions="${TOPIC_PARTITIONS:-6}"
topics=(
    supervision.task-events
    supervision.notification-events
    supervision.security-events
    supervision.task-events.notify-service.dlt
    supervision.notification-events.notify-service.dlt
    supervision.task-events.audit-service.dlt
    supervision.notification-events.audit-service.dlt
    supervision.security-events.audit-service.dlt
)
for topic in "${topics[@]}"; do
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
        --partitions "$partitions" --replication-factor 3 --config min.insync.replicas=2 \
        --config unclean.leader.election.enable=false
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --describe --topic 'supervision\..*' \
    | grep -E '^Topic:' || true
