package gov.yuancheng.supervision.task.domain;

/** Realm roles of the supervision realm, as they appear in the token's {@code roles} claim. */
public final class Roles {

    public static final String SUPERVISOR = "supervisor";
    public static final String UNIT = "unit";
    public static final String LEADER = "leader";
    public static final String INSPECTOR = "inspector";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
