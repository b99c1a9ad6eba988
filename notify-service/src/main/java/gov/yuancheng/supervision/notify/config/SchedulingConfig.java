package gov.yuancheng.supervision.notify.config;

import gov.yuancheng.supervision.notify.schedule.ScheduleSettings;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Sweeps and queue work run on a schedule; tests that drive them by hand switch this off. */
@Configuration
@EnableConfigurationProperties(ScheduleSettings.class)
class SchedulingConfig {

    @Configuration
    @EnableScheduling
    @ConditionalOnProperty(name = "supervision.notify.scheduling.enabled", havingValue = "true", matchIfMissing = true)
    static class Enabled {
    }
}
