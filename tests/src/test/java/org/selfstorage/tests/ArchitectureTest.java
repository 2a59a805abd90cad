package org.selfstorage.tests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module edges and library confinement of docs/design.md, checked on the compiled main classes
 * of every module (style.md §1): cli and web-ui use agent's API package only; agent uses
 * federation, catalog and crypto; federation uses crypto; crypto and catalog use nothing of ours.
 */
class ArchitectureTest {
  private static final String ROOT = "org.selfstorage";
  private static final List<String> MODULES = List.of("crypto", "catalog", "federation", "agent", "cli", "webui");

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  private static String module(String name) {
    return ROOT + "." + name + "..";
  }

  /** Every module of ours except the allowed ones and the module itself, as package patterns. */
  private static String[] othersThan(String self, String... allowed) {
    return MODULES.stream()
        .filter(m -> !m.equals(self) && !List.of(allowed).contains(m))
        .map(ArchitectureTest::module)
        .toArray(String[]::new);
  }

  @Test
  void import_everyModuleWithCode_isOnTheClasspath() {
    // guards the rules below against passing vacuously on an empty import
    for (String type : List.of("crypto.AeadCipher", "catalog.Catalog", "federation.ShardStore", "agent.Agent",
        "cli.Main", "webui.WebUiService")) {
      assertTrue(classes.contain(ROOT + "." + type), type + " was not imported");
    }
  }

  @Test
  void import_knownAllowedEdges_areSeen() {
    // the rules can only fail if dependencies are seen at all: check a few that must be there
    assertTrue(dependsOn("agent.repo.PackUploader", ROOT + ".catalog."));
    assertTrue(dependsOn("catalog.Catalog", "java.sql."));
    assertTrue(dependsOn("cli.SelfstorageCommand", "picocli."));
    assertTrue(dependsOn("cli.BackupCommand", ROOT + ".agent."));
    assertTrue(dependsOn("webui.WebUiService", ROOT + ".agent."));
  }

  private static boolean dependsOn(String type, String prefix) {
    return classes.get(ROOT + "." + type).getDirectDependenciesFromSelf().stream()
        .anyMatch(d -> d.getTargetClass().getName().startsWith(prefix));
  }

  @Test
  void crypto_dependsOnNoOtherModule() {
    noClasses().that().resideInAPackage(module("crypto"))
        .should().dependOnClassesThat().resideInAnyPackage(othersThan("crypto"))
        .check(classes);
  }

  @Test
  void catalog_dependsOnNoOtherModule() {
    noClasses().that().resideInAPackage(module("catalog"))
        .should().dependOnClassesThat().resideInAnyPackage(othersThan("catalog"))
        .check(classes);
  }

  @Test
  void federation_dependsOnlyOnCrypto() {
    noClasses().that().resideInAPackage(module("federation"))
        .should().dependOnClassesThat().resideInAnyPackage(othersThan("federation", "crypto"))
        .check(classes);
  }

  @Test
  void agent_dependsNotOnCliOrWebUi() {
    noClasses().that().resideInAPackage(module("agent"))
        .should().dependOnClassesThat().resideInAnyPackage(module("cli"), module("webui"))
        .check(classes);
  }

  @Test
  void cli_dependsOnlyOnAgentsApiPackage() {
    noClasses().that().resideInAPackage(module("cli"))
        .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
            .and(not(resideInAnyPackage(module("cli"), ROOT + ".agent"))))
        .because("cli is a thin shell over the use cases in org.selfstorage.agent")
        .check(classes);
  }

  @Test
  void webUi_dependsOnlyOnAgentsApiPackage() {
    noClasses().that().resideInAPackage(module("webui"))
        .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
            .and(not(resideInAnyPackage(module("webui"), ROOT + ".agent"))))
        .check(classes);
  }

  @Test
  void internalPackages_areUsedOnlyInsideTheirModule() {
    for (String m : MODULES) {
      noClasses().that().resideOutsideOfPackage(module(m))
          .should().dependOnClassesThat().resideInAPackage(ROOT + "." + m + ".(*)..")
          .because("org.selfstorage." + m + " is the module's API; its sub-packages are internal")
          .allowEmptyShould(true)
          .check(classes);
    }
  }

  @Test
  void sshd_isUsedOnlyInFederation() {
    noClasses().that().resideOutsideOfPackage(module("federation"))
        .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
        .check(classes);
  }

  @Test
  void sqlAndSqlite_areUsedOnlyInCatalog() {
    noClasses().that().resideOutsideOfPackage(module("catalog"))
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
        .check(classes);
  }

  @Test
  void tinkAndBouncyCastle_areUsedOnlyInCryptoAndFederation() {
    noClasses().that().resideOutsideOfPackages(module("crypto"), module("federation"))
        .should().dependOnClassesThat().resideInAnyPackage("com.google.crypto.tink..", "org.bouncycastle..")
        .check(classes);
  }

  @Test
  void picocli_isUsedOnlyInCli() {
    noClasses().that().resideOutsideOfPackage(module("cli"))
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void classNames_haveNoCatchAllSuffixes() {
    noClasses()
        .should().haveSimpleNameEndingWith("Manager")
        .orShould().haveSimpleNameEndingWith("Util")
        .orShould().haveSimpleNameEndingWith("Utils")
        .orShould().haveSimpleNameEndingWith("Helper")
        .because("classes are named after the role that does the work (style.md §2)")
        .check(classes);
  }
}
