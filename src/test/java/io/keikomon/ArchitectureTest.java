package io.keikomon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering described in docs/architecture.md, checked on the compiled main classes. A new package must
 * be given a layer here, or its classes are not checked against the others.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.keikomon");
  }

  @Test
  void onlyTheDockerJavaAdapterUsesDockerJava() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("io.keikomon.engine.dockerjava..")
        .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
        .because("the engine is reached through engine.DockerGateway; docker-java stays an implementation detail");
    rule.check(classes);
  }

  @Test
  void onlyTheCliUsesPicocli() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("io.keikomon.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .because("commands are thin adapters over services that tests drive without a command line");
    rule.check(classes);
  }

  @Test
  void layersPointDownwards() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .withOptionalLayers(true) // api and later backup/doctor may not exist yet on every branch
        .layer("cli").definedBy("io.keikomon.cli..")
        .layer("up").definedBy("io.keikomon.up..")
        .layer("validate").definedBy("io.keikomon.validate..")
        .layer("doctor").definedBy("io.keikomon.doctor..")
        .layer("backup").definedBy("io.keikomon.backup..")
        .layer("init").definedBy("io.keikomon.init..")
        .layer("render").definedBy("io.keikomon.render..")
        .layer("stack").definedBy("io.keikomon.stack..", "io.keikomon.api..")
        .layer("compose").definedBy("io.keikomon.compose..")
        .layer("engine").definedBy("io.keikomon.engine")
        .layer("dockerjava").definedBy("io.keikomon.engine.dockerjava..")
        .layer("content").definedBy("io.keikomon.content..")
        .layer("config").definedBy("io.keikomon.config..")
        .layer("core").definedBy("io.keikomon.core..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("up").mayOnlyAccessLayers("render", "stack", "compose", "engine", "content", "config", "core")
        .whereLayer("doctor").mayOnlyAccessLayers("stack", "compose", "engine", "content", "config", "core")
        .whereLayer("backup").mayOnlyAccessLayers("render", "stack", "compose", "engine", "config", "core")
        .whereLayer("validate").mayOnlyAccessLayers("render", "engine", "content", "config", "core")
        .whereLayer("init").mayOnlyAccessLayers("config", "core")
        .whereLayer("render").mayOnlyAccessLayers("content", "config", "core")
        .whereLayer("stack").mayOnlyAccessLayers("compose", "engine", "config", "core")
        .whereLayer("compose").mayOnlyAccessLayers("engine", "config", "core")
        .whereLayer("dockerjava").mayOnlyAccessLayers("engine", "core")
        .whereLayer("dockerjava").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("engine").mayOnlyAccessLayers("core")
        .whereLayer("content").mayOnlyAccessLayers("config", "core")
        .whereLayer("config").mayOnlyAccessLayers("core")
        .whereLayer("core").mayNotAccessAnyLayer()
        .check(classes);
  }

  @Test
  void everyPackageHasALayer() {
    noClasses().should().resideOutsideOfPackages("io.keikomon.cli..", "io.keikomon.up..", "io.keikomon.validate..", "io.keikomon.doctor..", "io.keikomon.backup..",
            "io.keikomon.init..", "io.keikomon.render..", "io.keikomon.stack..", "io.keikomon.api..",
            "io.keikomon.compose..", "io.keikomon.engine..", "io.keikomon.content..", "io.keikomon.config..",
            "io.keikomon.core..", "io.keikomon")
        .because("a package outside every layer would escape layersPointDownwards; add it there and here")
        .check(classes);
  }

  @Test
  void noCyclesBetweenCapabilities() {
    slices().matching("io.keikomon.(*)..").should().beFreeOfCycles().check(classes);
  }
}
