package io.agentwire.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of DESIGN.md, checked on the compiled main classes of every module: {@code core} imports only the
 * JDK, Jackson and SLF4J; no dialect imports Netty or another dialect; {@code store} and {@code redis} depend on no
 * AgentWire module but {@code core}; nothing in {@code server} names a dialect (only the SPI).
 */
class LayerRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("io.agentwire");
    }

    @Test
    void coreUsesOnlyTheJdkJacksonAndSlf4j() {
        classes().that().resideInAPackage("io.agentwire.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "jdk..",
                        "com.fasterxml.jackson..", "org.slf4j..", "io.agentwire.core..")
                .check(classes);
    }

    @Test
    void noDialectUsesNetty() {
        noClasses().that().resideInAPackage("io.agentwire.dialect..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .check(classes);
    }

    @Test
    void noDialectUsesAnother() {
        slices().matching("io.agentwire.dialect.(*)..").namingSlices("dialect $1")
                .that(DescribedPredicate.describe("not the SPI",
                        (com.tngtech.archunit.library.dependencies.Slice s) -> !s.getDescription().equals("dialect spi")))
                .should().notDependOnEachOther()
                .check(classes);
    }

    @Test
    void storeAndRedisDependOnlyOnCore() {
        noClasses().that().resideInAnyPackage("io.agentwire.store..", "io.agentwire.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.agentwire.transport..", "io.agentwire.dialect..",
                        "io.agentwire.agent..", "io.agentwire.server..", "io.agentwire.protocol..")
                .check(classes);
        noClasses().that().resideInAPackage("io.agentwire.store..")
                .should().dependOnClassesThat().resideInAPackage("io.agentwire.redis..").check(classes);
        noClasses().that().resideInAPackage("io.agentwire.redis..")
                .should().dependOnClassesThat().resideInAPackage("io.agentwire.store..").check(classes);
    }

    @Test
    void theServerNamesNoDialect() {
        noClasses().that().resideInAPackage("io.agentwire.server..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.agentwire.dialect..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.agentwire.dialect.spi.."))))
                .check(classes);
    }
}
