package io.sparkk8s.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.Slices;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure's rules, checked on the compiled main classes: no import cycles between packages
 * or between files, packages in layers that use only downwards, public packages that never import
 * {@code io.sparkk8s.internal} (so nothing internal is in a public signature either), and no
 * cluster access in the compiler.
 */
class ArchitectureTest {
  private static final String INTERNAL = "io.sparkk8s.internal..";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sparkk8s");

  /**
   * No two packages import each other, directly or around a loop (ArchUnit's own cycle rule). Each
   * package is a slice, the root package {@code io.sparkk8s} too: {@code matching("io.sparkk8s.(**)")}
   * would leave the root's classes out of every slice, and with them any loop through the root.
   */
  @Test
  void noImportCyclesBetweenPackages() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles()
        .as("the packages of io.sparkk8s are free of import cycles").check(MAIN);
  }

  /** Every package is a slice of the cycle rule, the root package included. */
  @Test
  void theCycleRuleSlicesEveryPackage() {
    Set<String> sliced = new java.util.TreeSet<>();
    Slices.assignedFrom(PACKAGES).transform(MAIN).forEach(s -> sliced.add(s.getDescription()));
    Set<String> packages = new java.util.TreeSet<>();
    MAIN.forEach(c -> packages.add("Slice " + c.getPackageName()));
    assertThat(sliced).contains("Slice io.sparkk8s").isEqualTo(packages);
  }

  /** The package rule finds what it should: two packages that use each other. */
  @Test
  void theCycleRuleReportsTwoPackagesThatUseEachOther() {
    JavaClasses two = new ClassFileImporter().importClasses(
        io.sparkk8s.architecture.loopa.Up.class, io.sparkk8s.architecture.loopb.Down.class);
    assertThatThrownBy(() -> slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(two))
        .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
  }

  /** Each class's package, as a slice. */
  private static final SliceAssignment PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      return c.getPackageName().startsWith("io.sparkk8s") ? SliceIdentifier.of(c.getPackageName())
          : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "packages of io.sparkk8s";
    }
  };

  /**
   * No two source files use each other, directly or around a loop (ArchUnit's own cycle check
   * works on classes, so a nested class and its file are one here; see {@link FileGraph}). The
   * patterns that break loops: a supertype does not know its implementations (each has its own
   * factory: {@code DirectoryLogArchive.at}, {@code InMemoryRunLedger}, {@code
   * CelebornShuffle.defaults()}); a builder or listener is nested in the type it belongs to; a part
   * knows its owner only as the narrow view it needs ({@code HandleHost}, a {@code Consumer}); the
   * rules of a job read its attributes ({@code JobDescription}), not the checked {@code SparkJob}.
   */
  @Test
  void noImportCyclesBetweenFiles() {
    Set<Set<String>> loops = FileGraph.of(MAIN).loops();
    assertThat(loops).as("loops between source files").isEmpty();
  }

  /** The file graph finds what it should: two files that use each other. */
  @Test
  void theFileGraphFindsTwoFilesThatUseEachOther() {
    JavaClasses two = new ClassFileImporter().importClasses(Ping.class, Pong.class);
    assertThat(FileGraph.of(two).loops()).containsExactly(
        Set.of("io.sparkk8s.architecture.Ping", "io.sparkk8s.architecture.Pong"));
  }

  /**
   * The layers the packages form, bottom first: what is thrown; the text rules and conf arithmetic;
   * the descriptions with what they mean to Spark; the public API of the compiler and the client;
   * the compiler behind it and the API server's calls; the client; what is built on the client. A
   * package uses only its own layer and those below: the public API finds its implementations
   * ({@code SparkCompiler.Provider}, {@code SparkKubernetes.Provider}) with a ServiceLoader.
   */
  private static final List<Set<String>> LAYERS = List.of(
      Set.of("io.sparkk8s.exception"),
      Set.of("io.sparkk8s.validate", "io.sparkk8s.conf"),
      Set.of("io.sparkk8s.spec", "io.sparkk8s.storage"),
      Set.of("io.sparkk8s"),
      Set.of("io.sparkk8s.internal.compile", "io.sparkk8s.api"),
      Set.of("io.sparkk8s.internal.kube"),
      Set.of("io.sparkk8s.testing", "io.sparkk8s.fleet"),
      Set.of("io.sparkk8s.micrometer"));

  @Test
  void packagesUseOnlyTheirLayerAndThoseBelow() {
    PackageGraph graph = PackageGraph.of(MAIN);
    Set<String> layered = new java.util.HashSet<>();
    LAYERS.forEach(layered::addAll);
    assertThat(layered).as("every package has its layer").containsAll(graph.packages());
    assertThat(graph.upward(LAYERS)).as("uses that go up the layers (bottom first: %s)", LAYERS)
        .isEmpty();
  }

  @Test
  void nothingInternalInAPublicSignature() {
    signatureRule().check(MAIN);
  }

  /**
   * No class outside {@code io.sparkk8s.internal} uses one inside: the descriptions, the public API,
   * the test kit and the fleet are built on public types only, and the internal packages implement
   * them. The test kit is thereby held to the public API too.
   */
  @Test
  void publicPackagesNeverImportInternal() {
    publicNeverImportsInternal().check(MAIN);
  }

  /** The import rule finds what it should: a public class using an internal one. */
  @Test
  void theImportRuleReportsAPublicClassUsingAnInternalOne() {
    JavaClasses one = new ClassFileImporter().importClasses(Leaky.class);
    assertThatThrownBy(() -> publicNeverImportsInternal().check(one))
        .hasMessageContaining("ArchitectureTest$Leaky")
        .hasMessageContaining("io.sparkk8s.internal.compile.DriverContext");
  }

  private static ArchRule publicNeverImportsInternal() {
    return noClasses().that().resideOutsideOfPackage(INTERNAL)
        .should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .as("public packages never import io.sparkk8s.internal");
  }

  @Test
  void theCompilerNeverReachesTheCluster() {
    noClasses().that().resideInAPackage("io.sparkk8s.internal.compile..")
        .should().dependOnClassesThat().resideInAPackage("io.sparkk8s.internal.kube..")
        .as("the compiler makes objects and sends none").check(MAIN);
  }

  /** The signature rule finds what it should: a public member naming an internal type. */
  @Test
  void theSignatureRuleReportsAPublicMemberNamingAnInternalType() {
    JavaClasses one = new ClassFileImporter().importClasses(Leaky.class);
    assertThatThrownBy(() -> signatureRule().check(one))
        .hasMessageContaining("Leaky.timers()")
        .hasMessageContaining("io.sparkk8s.internal.compile.DriverContext");
  }

  /** A public class leaking an internal type in a public method's generic return type. */
  public static final class Leaky {
    public java.util.List<io.sparkk8s.internal.compile.DriverContext> timers() {
      return java.util.List.of();
    }

    java.util.List<io.sparkk8s.internal.compile.DriverContext> packagePrivateIsFine() {
      return java.util.List.of();
    }
  }

  private static ArchRule signatureRule() {
    return members().that().areDeclaredInClassesThat().arePublic()
        .and().areDeclaredInClassesThat().resideOutsideOfPackage(INTERNAL)
        .and().arePublic()
        .should(notMentionInternalTypes())
        .as("public members of public API classes name no internal type");
  }

  private static ArchCondition<JavaMember> notMentionInternalTypes() {
    return new ArchCondition<>("name no type under io.sparkk8s.internal") {
      @Override
      public void check(JavaMember member, ConditionEvents events) {
        Set<JavaClass> types = new HashSet<>();
        if (member instanceof JavaField f) {
          types.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (member instanceof JavaCodeUnit u) {
          types.addAll(u.getReturnType().getAllInvolvedRawTypes());
          u.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
          u.getExceptionTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
        }
        for (JavaClass t : types) {
          if (t.getPackageName().startsWith("io.sparkk8s.internal")) {
            events.add(SimpleConditionEvent.violated(member, member.getFullName()
                + " names internal type " + t.getName()));
          }
        }
      }
    };
  }
}
