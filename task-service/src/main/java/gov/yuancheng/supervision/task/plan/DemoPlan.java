package gov.yuancheng.supervision.task.plan;

import java.util.List;

import gov.yuancheng.supervision.task.domain.Actor;
import gov.yuancheng.supervision.task.domain.RequestOrigin;
import gov.yuancheng.supervision.task.domain.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Loads the district's work plan as demo tasks when the local stack asks for it. The import is keyed
 * by the plan's content, so later starts and other replicas find the tasks there and add none.
 */
@Component
@ConditionalOnProperty(name = "supervision.demo-plan.enabled", havingValue = "true")
class DemoPlan {

    static final String RESOURCE = "/plans/yuancheng-8th-congress.yaml";
    private static final Logger log = LoggerFactory.getLogger(DemoPlan.class);
    private static final Actor OFFICE = new Actor("demo-plan", "demo-plan", "督查室（演示计划导入）", "office-dcs",
            List.of(Roles.SUPERVISOR));

    private final PlanImport plans;

    DemoPlan(PlanImport plans) {
        this.plans = plans;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void load() {
        var result = plans.importYaml(PlanImport.read(getClass().getResourceAsStream(RESOURCE)), OFFICE,
                RequestOrigin.NONE);
        log.info("Demo plan '{}': {} tasks, {} new", result.plan(), result.tasks(), result.created());
    }
}
