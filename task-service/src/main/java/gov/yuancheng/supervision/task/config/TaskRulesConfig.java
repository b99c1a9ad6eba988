package gov.yuancheng.supervision.task.config;

import gov.yuancheng.supervision.task.domain.LightRules;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class TaskRulesConfig {

    @Bean
    LightRules lightRules(@Value("${supervision.lights.due-soon-working-days:3}") int dueSoon,
            @Value("${supervision.lights.acknowledge-within-working-days:2}") int acknowledgeWithin,
            @Value("${supervision.lights.report-grace-working-days:0}") int reportGrace) {
        return new LightRules(dueSoon, acknowledgeWithin, reportGrace);
    }
}
