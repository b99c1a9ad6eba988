package gov.yuancheng.supervision.task.domain;

/** Where a change came from, as the gateway saw it; carried into every event for the audit trail. */
public record RequestOrigin(String clientAddress, String userAgent, String traceparent) {

    public static final RequestOrigin NONE = new RequestOrigin(null, null, null);
}
