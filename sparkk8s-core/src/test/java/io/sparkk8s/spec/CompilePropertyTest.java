package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The offline half of the bad-input property (the real API server's half is
 * {@code io.sparkk8s.it.CompileFuzzE2E}): for any description, plausible or hostile,
 * {@code build()} and {@code SparkCompiler.compile} either throw an
 * {@link InvalidDescriptionException} whose every problem names an attribute and a rule, or give
 * objects, the same each time; never another exception.
 */
class CompilePropertyTest {

  @Provide
  Arbitrary<HostileJobs.Recipe> recipes() {
    return HostileJobs.recipes(HostileJobs.Cluster.of("fuzz"));
  }

  @Property(tries = 300, edgeCases = net.jqwik.api.EdgeCasesMode.NONE,
      afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
  void buildAndCompileRejectWithNamedProblemsOrGiveStableObjects(
      @ForAll("recipes") HostileJobs.Recipe recipe) {
    SparkJob job;
    try {
      job = recipe.build();
    } catch (InvalidDescriptionException e) {
      assertThat(e.problems()).as("problems of %s", e.getMessage()).isNotEmpty()
          .allSatisfy(p -> {
            assertThat(p.attribute()).isNotBlank();
            assertThat(p.rule()).isNotBlank();
          });
      e.problems().forEach(p -> Statistics.label("rule").collect(rule(p)));
      Statistics.label("outcome").collect("rejected by build");
      return;
    }
    CompiledJob compiled = SparkCompiler.compile(job);
    assertThat(compiled.toYaml()).isEqualTo(SparkCompiler.compile(job).toYaml());
    Statistics.label("outcome").collect("compiled");
  }

  /** The attribute without indexes, for the statistics: {@code volume[x].mountPath} -> {@code volume.mountPath}. */
  static String rule(InvalidDescriptionException.Problem p) {
    return p.attribute().replaceAll("\\[[^]]*]", "[]");
  }
}
