package io.sparkk8s.storage.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The storage client's structure, checked on its compiled main classes: no public package uses an
 * internal one (the stores behind the client are package-private in it, not public API), and its
 * packages are free of import cycles.
 */
class StorageArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_ARCHIVES)
      .importPackages("io.sparkk8s.storage.client");

  @Test
  void theRulesSeeTheClient() {
    assertThat(MAIN.contain(StorageAccess.class)).isTrue();
    assertThat(MAIN.contain(HadoopStore.class)).isTrue();
  }

  @Test
  void publicPackagesNeverImportInternal() {
    noClasses().that().resideOutsideOfPackage("..internal..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .as("public packages never import an internal package").check(MAIN);
  }

  @Test
  void theStoresAreNotPublicApi() {
    noClasses().that().implement(Store.class).or().areAssignableTo(Store.class)
        .should().bePublic().as("the stores behind the client are not public API").check(MAIN);
  }

  @Test
  void noImportCyclesBetweenPackages() {
    slices().matching("io.sparkk8s.storage.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
