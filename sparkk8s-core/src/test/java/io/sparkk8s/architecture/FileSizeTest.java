package io.sparkk8s.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file over {@value #LIMIT} lines. A file may be let over it only by listing it with
 * a ceiling here (none is): a file that grows past the limit is split, not excused silently.
 */
class FileSizeTest {
  static final int LIMIT = 600;
  /** Files allowed over the limit, with their ceiling: none today. */
  private static final Map<String, Integer> CEILINGS = Map.of();

  @Test
  void noMainSourceFileIsOverTheLimit() throws IOException {
    Map<String, Integer> over = new TreeMap<>();
    for (String module : new String[] {".", "../sparkk8s-storage", "../sparkk8s-examples"}) {
      Path root = Path.of(module, "src/main/java");
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          int lines;
          try (Stream<String> l = Files.lines(f)) {
            lines = (int) l.count();
          }
          String key = root.relativize(f).toString().replace('\\', '/');
          if (lines > CEILINGS.getOrDefault(key, LIMIT)) {
            over.put(key, lines);
          }
        }
      }
    }
    assertThat(over).as("files over %d lines (or over their listed ceiling)", LIMIT).isEmpty();
  }

  /**
   * The client is a facade over its parts (issue 17): it starts, finds and deploys through them,
   * and holds no logic of its own to grow. Under {@value #FACADE_LIMIT} lines.
   */
  @Test
  void theClientIsAThinFacade() throws IOException {
    Path facade = Path.of("src/main/java/io/sparkk8s/internal/kube/KubeSparkClient.java");
    try (Stream<String> l = Files.lines(facade)) {
      assertThat(l.count()).as("lines of %s", facade).isLessThan(FACADE_LIMIT);
    }
  }

  static final int FACADE_LIMIT = 250;
}
