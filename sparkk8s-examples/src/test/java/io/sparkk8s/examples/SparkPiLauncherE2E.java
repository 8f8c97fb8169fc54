package io.sparkk8s.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command on the E2E cluster, its output going to a file (not a terminal), as a
 * CI log shows it: the states, Spark's progress as plain lines that rise to every task done, the
 * driver's log, the result, exit code 0. The printed output is the launcher's plain mode.
 */
class SparkPiLauncherE2E {

  @Test
  void outsideATerminalItPrintsPlainProgressLinesThatRiseToTheEnd(@TempDir Path dir)
      throws Exception {
    String kubeconfig = System.getenv("SPARKK8S_IT_KUBECONFIG");
    assertThat(kubeconfig).as("SPARKK8S_IT_KUBECONFIG (set by scripts/test.sh with the E2E cluster)")
        .isNotBlank();
    ApiClient client = Config.fromConfig(kubeconfig);
    CoreV1Api core = new CoreV1Api(client);
    String ns = "launcher-" + UUID.randomUUID().toString().substring(0, 8);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(ns))).execute();
    try {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp",
          System.getProperty("java.class.path"), SparkPiLauncher.class.getName(), ns, "1000"));
      pb.environment().put("KUBECONFIG", kubeconfig);
      Path out = dir.resolve("stdout.txt");
      pb.redirectErrorStream(true).redirectOutput(out.toFile());
      Process p = pb.start();
      boolean ended = p.waitFor(5, TimeUnit.MINUTES);
      if (!ended) {
        p.destroyForcibly();
      }
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      System.out.println("[E2E] the launcher's plain output:\n" + printed);
      // A failure carries the launcher's last lines: CI reports show the assertion's message, not
      // what the test printed.
      String tail = String.join("\n", printed.lines()
          .skip(Math.max(0, printed.lines().count() - 40)).toList());
      assertThat(ended).as("ended within 5 minutes; the launcher's last lines:%n%s", tail).isTrue();
      assertThat(p.exitValue()).as("exit code; the launcher's last lines:%n%s", tail).isZero();
      assertThat(printed).contains("state: RUNNING").contains("Pi is roughly")
          .contains("SparkPi SUCCEEDED").doesNotContain("\r").doesNotContain("\u001b[");
      Matcher m = Pattern.compile("progress: (\\d+) of (\\d+) tasks done").matcher(printed);
      List<Long> done = new java.util.ArrayList<>();
      while (m.find()) {
        done.add(Long.parseLong(m.group(1)));
      }
      assertThat(done).as("progress lines").isNotEmpty().isSorted();
    } finally {
      core.deleteNamespace(ns).execute();
    }
  }
}
