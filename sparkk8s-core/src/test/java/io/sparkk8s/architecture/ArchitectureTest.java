package io.sparkk8s.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure's rules, checked on the compiled main classes. Every rule holds everywhere but
 * one: the import loop between the descriptions and the compiler, whose uses are listed in
 * {@link #usesGoUpTheLayersOnlyWhereListed} and may only shrink.
 */
class ArchitectureTest {
  private static final String INTERNAL = "io.sparkk8s.internal..";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sparkk8s");

  /**
   * Packages that import each other, directly or around a loop: today's loops are listed and may
   * only shrink; a new package in a loop, or a new loop, fails. (A frozen ArchUnit cycle rule would
   * fail on every new dependency inside an old loop, so loops are compared as sets of packages.)
   */
  @Test
  void noNewImportCyclesBetweenPackages() {
    Set<Set<String>> loops = PackageGraph.of(MAIN).loops();
    Set<Set<String>> known = Set.of(
        // A description's build() checks what it compiles to (the names and conf Spark is given,
        // the storage a job expands to, the keys a gang scheduler and a shuffle service own) with
        // the compiler, which reads descriptions. See usesGoUpTheLayersOnlyWhereListed.
        Set.of("io.sparkk8s.internal.compile", "io.sparkk8s.spec"));
    for (Set<String> loop : loops) {
      assertThat(known).as("packages in an import loop: %s", loop)
          .anySatisfy(k -> assertThat(k).containsAll(loop));
    }
    System.out.println("[architecture] import loops: " + loops);
  }

  /**
   * The layers the packages are meant to form, bottom first: what is thrown; the text rules; the
   * descriptions; the compiler; the public API; the client; what is built on the client.
   */
  private static final List<Set<String>> LAYERS = List.of(
      Set.of("io.sparkk8s.exception"),
      Set.of("io.sparkk8s.internal.validate"),
      Set.of("io.sparkk8s.spec", "io.sparkk8s.storage"),
      Set.of("io.sparkk8s.internal.compile"),
      Set.of("io.sparkk8s"),
      Set.of("io.sparkk8s.internal.kube"),
      Set.of("io.sparkk8s.testing", "io.sparkk8s.fleet"),
      Set.of("io.sparkk8s.micrometer"));

  /**
   * The uses that still go up {@link #LAYERS}, each the reason for part of the loop above. The list
   * may only shrink: a new upward use fails, and so does one listed here that is gone (drop it).
   */
  private static final Set<String> KNOWN_UPWARD = Set.of(
      // build() checks what a description compiles to: the names and conf Spark will be given,
      // the storage a job expands to, the keys a gang scheduler and a shuffle service own.
      "io.sparkk8s.spec -> io.sparkk8s.internal.compile.GangConf",
      "io.sparkk8s.spec -> io.sparkk8s.internal.compile.JobNames",
      "io.sparkk8s.spec -> io.sparkk8s.internal.compile.ShuffleCompiler",
      "io.sparkk8s.spec -> io.sparkk8s.internal.compile.StorageExpansion",
      "io.sparkk8s.spec -> io.sparkk8s.internal.compile.SubmitConf");

  @Test
  void usesGoUpTheLayersOnlyWhereListed() {
    PackageGraph graph = PackageGraph.of(MAIN);
    Set<String> layered = new java.util.HashSet<>();
    LAYERS.forEach(layered::addAll);
    assertThat(layered).as("every package has its layer").containsAll(graph.packages());
    Set<String> upward = graph.upward(LAYERS);
    assertThat(upward).as("uses that go up the layers (bottom first: %s)", LAYERS)
        .isSubsetOf(KNOWN_UPWARD);
    assertThat(KNOWN_UPWARD).as("listed upward uses that are gone: drop them from the list")
        .isSubsetOf(upward);
  }

  @Test
  void nothingInternalInAPublicSignature() {
    signatureRule().check(MAIN);
  }

  @Test
  void theTestKitUsesOnlyThePublicApi() {
    noClasses().that().resideInAPackage("io.sparkk8s.testing..")
        .should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .as("the test kit (io.sparkk8s.testing) uses only the public API").check(MAIN);
  }

  @Test
  void theSpecNeverReachesTheCluster() {
    ArchRule rule = noClasses().that().resideInAPackage("io.sparkk8s.spec..")
        .should().dependOnClassesThat().resideInAPackage("io.sparkk8s.internal.kube..")
        .as("descriptions (io.sparkk8s.spec) know nothing of the client");
    rule.check(MAIN);
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
        .hasMessageContaining("io.sparkk8s.internal.compile.JobNames");
  }

  /** A public class leaking an internal type in a public method's generic return type. */
  public static final class Leaky {
    public java.util.List<io.sparkk8s.internal.compile.JobNames> timers() {
      return java.util.List.of();
    }

    java.util.List<io.sparkk8s.internal.compile.JobNames> packagePrivateIsFine() {
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
