package gov.yuancheng.supervision.task.web;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.RequestOrigin;

/**
 * What every change request carries besides its body: who asks (from the token), from where, the
 * version they saw (If-Match) and the key that makes a retry harmless (Idempotency-Key).
 */
record ChangeRequest(Actor actor, RequestOrigin origin, Long expectedVersion, String idempotencyKey) {
}
