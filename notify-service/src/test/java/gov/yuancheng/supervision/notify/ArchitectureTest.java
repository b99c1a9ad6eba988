package gov.yuancheng.supervision.notify;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "gov.yuancheng.supervision.notify", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule webNeverTouchesMongoOrKafkaDirectly = noClasses().that().resideInAPackage("..notify.web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.mongodb..", "com.mongodb..",
                    "org.springframework.kafka..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule inboxKnowsNoWebOrKafka = noClasses().that().resideInAPackage("..notify.inbox..")
            .should().dependOnClassesThat().resideInAnyPackage("..notify.web..", "..notify.events..",
                    "org.springframework.web..", "org.springframework.kafka..", "io.cloudevents..");

    @ArchTest
    static final ArchRule schedulesAndDeliveryKnowNoWebOrKafka = noClasses().that()
            .resideInAnyPackage("..notify.schedule..", "..notify.delivery..", "..notify.calendar..",
                    "..notify.preference..", "..notify.directory..")
            .should().dependOnClassesThat().resideInAnyPackage("..notify.web..", "..notify.events..",
                    "org.springframework.kafka..", "org.apache.kafka..", "io.cloudevents..");

    @ArchTest
    static final ArchRule theCalendarKnowsNothingOfSchedulesOrDelivery = noClasses().that()
            .resideInAnyPackage("..notify.calendar..")
            .should().dependOnClassesThat().resideInAnyPackage("..notify.schedule..", "..notify.delivery..");
}
