package gov.yuancheng.supervision.task;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "gov.yuancheng.supervision.task", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainKnowsNoWebKafkaOrStorage = noClasses().that().resideInAPackage("..task.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..task.web..", "..task.events..", "..task.store..",
                    "org.springframework.web..", "org.springframework.kafka..", "org.apache.kafka..",
                    "jakarta.servlet..", "io.cloudevents..");

    @ArchTest
    static final ArchRule webNeverTouchesMongoOrKafkaDirectly = noClasses().that().resideInAPackage("..task.web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.mongodb..", "com.mongodb..",
                    "org.springframework.kafka..", "org.apache.kafka..");
}
