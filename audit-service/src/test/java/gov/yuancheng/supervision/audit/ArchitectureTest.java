package gov.yuancheng.supervision.audit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import com.mongodb.client.MongoCollection;

import org.springframework.data.mongodb.core.MongoOperations;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "gov.yuancheng.supervision.audit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule webNeverTouchesMongoOrKafkaDirectly = noClasses().that().resideInAPackage("..audit.web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.mongodb..", "com.mongodb..",
                    "org.springframework.kafka..", "org.apache.kafka..");

    /** Append-only: nothing in the service may update, replace or delete a stored document. */
    @ArchTest
    static final ArchRule nothingRewritesOrDeletesRecords = noClasses().should()
            .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(MongoOperations.class)))
                    .and(target(nameMatching("remove|findAndRemove|findAllAndRemove|updateFirst|updateMulti|upsert"
                            + "|save|findAndReplace|replace|dropCollection"))))
            .because("audit records are append-only");

    /** The same through the driver's collections, which the batch append uses for its ordered insert. */
    @ArchTest
    static final ArchRule nothingRewritesOrDeletesThroughTheDriver = noClasses().should()
            .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(MongoCollection.class)))
                    .and(target(nameMatching("update.*|replace.*|delete.*|findOneAnd.*|drop.*|bulkWrite|rename.*"))))
            .because("audit records are append-only");
}
