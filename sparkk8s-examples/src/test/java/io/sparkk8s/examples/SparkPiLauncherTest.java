package io.sparkk8s.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command on a machine with no cluster and no right to start one says what to
 * do and stops, instead of failing on client-java's default of localhost:8080.
 */
class SparkPiLauncherTest {

  @Test
  void withNoClusterAndNoRootItSaysWhatToDoAndExitsAtOnce(@TempDir Path home) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Duser.home=" + home, "-Duser.name=nobody",
        SparkPiLauncher.class.getName()))
        .directory(home.toFile());
    Map<String, String> env = pb.environment();
    env.remove("KUBECONFIG");
    env.remove("KUBERNETES_SERVICE_HOST");
    env.put("SPARKK8S_STATE_DIR", home.resolve("no-local-cluster").toString());
    Path err = home.resolve("stderr.txt");
    pb.redirectError(err.toFile()).redirectOutput(home.resolve("stdout.txt").toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String said = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(ended).as("ended by itself; stderr: %s", said).isTrue();
    assertThat(p.exitValue()).as("exit code; stderr: %s", said).isEqualTo(3);
    assertThat(said).contains("No Kubernetes cluster to run SparkPi on")
        .contains("KUBECONFIG").contains("minikube start").contains("as root")
        .doesNotContain("localhost:8080").doesNotContain("Exception");
  }
}
