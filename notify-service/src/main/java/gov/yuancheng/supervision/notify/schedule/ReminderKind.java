package gov.yuancheng.supervision.notify.schedule;

/** What a reminder is about; the Chinese texts are in {@code templates/notice/<KIND>.txt}. */
public enum ReminderKind {
    /** 签收提醒: the unit has not acknowledged its assignment. */
    ACKNOWLEDGE,
    /** 到期前提醒: n working days before the deadline. */
    BEFORE_DEADLINE,
    /** 到期当日提醒. */
    DUE_TODAY,
    /** 逾期提醒: every working day while overdue; n is the number of overdue working days. */
    OVERDUE,
    /** 逾期升级: after n overdue working days the responsible leader and the supervision office are told. */
    ESCALATION,
    /** 报送提醒: a periodic report falls due. */
    REPORT_DUE,
    /** 报送逾期: a periodic report was missed. */
    REPORT_MISSED,
    /** 催办: the office urged the unit; delivered at once. */
    URGE,
    /** 节点提醒: a milestone of the task falls due; the lead unit is reminded n working days before. */
    MILESTONE;

    public boolean escalates() {
        return this == ESCALATION;
    }

    /** Planned one occurrence at a time: the next one when this one is sent. */
    public boolean recurring() {
        return this == OVERDUE || aboutReport();
    }

    boolean aboutReport() {
        return this == REPORT_DUE || this == REPORT_MISSED;
    }
}
