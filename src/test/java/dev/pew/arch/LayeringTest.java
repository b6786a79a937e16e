package dev.pew.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's packages import one way, down the pipeline, checked on the compiled classes (not
 * the source text): each layer may use the layers before it and none after it, and no two packages
 * depend on each other. The simulator is a separate tool and uses none of the worker's packages.
 */
class LayeringTest {

  /** Earliest first: a package may depend only on packages to its left. */
  static final List<String> LAYERS = List.of(
      "kafka", "config", "event", "intake", "dispatch", "xc", "results", "ledger", "fleet", "pipeline", "ops", "replay");

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.pew");
  }

  @Test
  void eachLayerUsesOnlyTheLayersBeforeIt() {
    for (int i = 0; i < LAYERS.size(); i++) {
      String[] later = LAYERS.subList(i + 1, LAYERS.size()).stream().map(l -> "dev.pew." + l + "..").toArray(String[]::new);
      if (later.length == 0) {
        continue;
      }
      noClasses().that().resideInAPackage("dev.pew." + LAYERS.get(i) + "..")
          .should().dependOnClassesThat().resideInAnyPackage(later)
          .orShould().dependOnClassesThat().resideInAPackage("dev.pew")
          .because("imports run one way, down the pipeline: " + String.join(" -> ", LAYERS) + " -> dev.pew")
          .check(production);
    }
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.pew.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void theSimulatorUsesNoWorkerPackage() {
    String[] worker = LAYERS.stream().map(l -> "dev.pew." + l + "..").toArray(String[]::new);
    noClasses().that().resideInAPackage("dev.pew.sim..")
        .should().dependOnClassesThat().resideInAnyPackage(Arrays.copyOf(worker, worker.length))
        .check(production);
  }
}
