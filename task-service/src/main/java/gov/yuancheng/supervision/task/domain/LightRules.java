package gov.yuancheng.supervision.task.domain;

/**
 * The numbers of the traffic-light rule (configuration, see supervision.lights in application.yml).
 *
 * @param dueSoonWorkingDays yellow when the deadline is this many working days away or fewer
 * @param acknowledgeWithinWorkingDays yellow when an assignment is still unacknowledged after this many
 * @param reportGraceWorkingDays a periodic report counts as missed this many working days after it fell due
 */
public record LightRules(int dueSoonWorkingDays, int acknowledgeWithinWorkingDays, int reportGraceWorkingDays) {

    public static final LightRules DEFAULT = new LightRules(3, 2, 0);
}
