package gov.yuancheng.supervision.notify.inbox;

/** The reader of an inbox, from the verified token: a user and the unit they belong to. */
public record Recipient(String username, String unit) {
}
