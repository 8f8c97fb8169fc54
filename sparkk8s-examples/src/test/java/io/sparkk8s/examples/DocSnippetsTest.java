package io.sparkk8s.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of the README and the site compiles against the SDK as built (issue 18): a
 * renamed method or a snippet that does not compile as printed fails the build.
 *
 * <p>A snippet is compiled as a method body, with the SDK's packages imported, or, when it
 * declares a class, as a file. The names a page sets up in its prose and that its snippets use
 * without declaring are the method's parameters ({@link #GIVEN}); a snippet that declares one of
 * them keeps its own. Nothing is run.
 */
class DocSnippetsTest {
  private static final String IMPORTS = String.join("\n",
      "import io.sparkk8s.*;", "import io.sparkk8s.exception.*;", "import io.sparkk8s.spec.*;",
      "import io.sparkk8s.storage.*;",
      "import io.sparkk8s.storage.client.*;", "import io.sparkk8s.testing.*;",
      "import io.sparkk8s.micrometer.*;", "import io.sparkk8s.fleet.*;",
      "import io.sparkk8s.validate.*;", "import io.sparkk8s.api.*;", "import io.kubernetes.client.openapi.models.V1Pod;",
      "import java.time.*;", "import java.util.*;", "import java.util.concurrent.CompletableFuture;",
      "import java.util.concurrent.TimeUnit;", "import java.util.concurrent.TimeoutException;",
      "import java.net.URI;", "import static org.assertj.core.api.Assertions.*;", "import java.nio.file.*;", "import java.io.*;", "");
  /** What the pages' prose gives a snippet: the client, a job, its handle, a platform. */
  private static final Map<String, String> GIVEN = new LinkedHashMap<>();

  static {
    GIVEN.put("spark", "SparkKubernetes");
    GIVEN.put("pi", "SparkJob");
    GIVEN.put("job", "SparkJob");
    GIVEN.put("handle", "SparkJobHandle");
    GIVEN.put("platform", "SparkPlatform");
    GIVEN.put("etl", "SparkJob");
    GIVEN.put("logs", "EventLog");
    GIVEN.put("backend", "StorageBackend");
    GIVEN.put("kubeconfig", "Path");
    GIVEN.put("apiClient", "io.kubernetes.client.openapi.ApiClient");
    GIVEN.put("log", "org.slf4j.Logger");
    GIVEN.put("driverName", "String");
    GIVEN.put("access", "StorageAccess");
    GIVEN.put("credentials", "StorageCredentials");
    GIVEN.put("registry", "io.micrometer.core.instrument.MeterRegistry");
    GIVEN.put("fleet", "io.sparkk8s.fleet.SparkFleet");
  }

  private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everySnippetOfTheReadmeAndTheSiteCompiles() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> site = Files.list(root.resolve("src/site/markdown"))) {
      site.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (Path page : pages) {
      List<String> snippets = new ArrayList<>();
      Matcher m = JAVA.matcher(Files.readString(page));
      while (m.find()) {
        snippets.add(m.group(1));
      }
      // The classes a page declares are there for its other snippets (a test uses the class
      // under test shown before it).
      List<String> pageClasses = snippets.stream().filter(DocSnippetsTest::declaresClass).toList();
      for (int i = 1; i <= snippets.size(); i++) {
        count++;
        String where = root.relativize(page) + " snippet " + i;
        String snippet = snippets.get(i - 1);
        List<String> others = pageClasses.stream().filter(c -> c != snippet).toList();
        String errors = compile(snippet, others);
        if (!errors.isEmpty()) {
          failures.add(where + ":\n" + errors);
        }
      }
    }
    System.out.printf("[docs] %d snippets compiled, %d failed%n", count, failures.size());
    assertThat(count).as("snippets found").isGreaterThan(10);
    assertThat(failures).as("snippets that do not compile").isEmpty();
  }

  private static boolean declaresClass(String snippet) {
    return Pattern.compile("^(public |final |abstract )*(class|record|interface) ",
        Pattern.MULTILINE).matcher(snippet).find();
  }

  private static String compile(String snippet, List<String> pageClasses) {
    String source;
    if (declaresClass(snippet)) {
      source = IMPORTS + snippet;
    } else if (snippet.contains("@Test")) {
      // Fields and test methods: the body of a test class.
      source = IMPORTS + "import org.junit.jupiter.api.Test;\nclass SnippetTest {\n" + snippet
          + "\n}\n";
    } else {
      StringBuilder params = new StringBuilder();
      for (var g : GIVEN.entrySet()) {
        if (!Pattern.compile("\\b" + g.getValue() + "\\s+" + g.getKey() + "\\b").matcher(snippet)
            .find() && !Pattern.compile("\\b(var|[A-Z]\\w*)\\s+" + g.getKey() + "\\s*=")
                .matcher(snippet).find()) {
          params.append(params.length() == 0 ? "" : ", ").append(g.getValue()).append(' ')
              .append(g.getKey());
        }
      }
      source = IMPORTS + "class Snippet {\n  void snippet(" + params + ") throws Exception {\n"
          + snippet + "\n  }\n}\n";
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    List<JavaFileObject> files = new ArrayList<>();
    files.add(source("Snippet", source));
    for (int i = 0; i < pageClasses.size(); i++) {
      files.add(source("PageClass" + i, IMPORTS + pageClasses.get(i)));
    }
    Path classes;
    try {
      classes = Files.createTempDirectory("snippet");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    boolean ok = javac.getTask(out, null, null, List.of("-proc:none", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path")), null, files).call();
    return ok ? "" : out.toString();
  }

  private static JavaFileObject source(String name, String text) {
    return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignore) {
        return text;
      }
    };
  }
}
