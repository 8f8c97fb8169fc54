package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * What a job runs: a JVM application (a main class in a jar) or a Python file.
 *
 * <pre>{@code
 * Application pi = Application.jvm("org.apache.spark.examples.SparkPi",
 *     "local:///opt/spark/examples/jars/spark-examples.jar");
 * Application etl = Application.python("gs://my-bucket/jobs/etl.py")
 *     .withPyFiles("gs://my-bucket/jobs/lib.zip");
 * }</pre>
 *
 * <p>The resource is a URI the driver can read: {@code local://} for a file inside the image, or a
 * remote URI ({@code gs://}, {@code s3a://}, {@code hdfs://}, {@code https://}, ...). A file on the
 * submitting machine must be staged to shared storage first.
 */
@Value.Immutable
public abstract class Application {
  private static final Pattern JAVA_CLASS =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  /** The kind of application, which decides how the driver starts it. */
  public enum Kind {
    /** A JVM application: {@code --class <mainClass> <jar>}. */
    JVM,
    /** A PySpark application: Spark's {@code PythonRunner} runs the primary Python file. */
    PYTHON
  }

  Application() {}

  /** A JVM application: the fully qualified main class and the jar that holds it. */
  public static Application jvm(String mainClass, String jar) {
    return ImmutableApplication.builder().kind(Kind.JVM).mainClass(mainClass).resource(jar).build();
  }

  /** A Python application whose primary file is {@code pythonFile}. */
  public static Application python(String pythonFile) {
    return ImmutableApplication.builder().kind(Kind.PYTHON).resource(pythonFile).build();
  }

  /** The kind of application. */
  public abstract Kind kind();

  /** The main class; present exactly for {@link Kind#JVM}. */
  public abstract Optional<String> mainClass();

  /** The primary resource: the jar, or the Python file. */
  public abstract String resource();

  /** Extra Python files ({@code .py}, {@code .zip}, {@code .egg}) for a Python application. */
  public abstract List<String> pyFiles();

  /** A copy with these extra Python files instead of the current ones. */
  public abstract Application withPyFiles(String... pyFiles);

  /** A copy with these extra Python files instead of the current ones. */
  public abstract Application withPyFiles(Iterable<String> pyFiles);

  @Value.Check
  void check() {
    Checks c = Checks.of("Application");
    Uris.checkResource(c, "application.resource", resource());
    if (kind() == Kind.JVM) {
      if (mainClass().isEmpty()) {
        c.fail("application.mainClass", null, "is required for a JVM application");
      } else {
        c.require(JAVA_CLASS.matcher(mainClass().get()).matches(), "application.mainClass",
            mainClass().get(), "must be a fully qualified Java class name such as com.example.Main");
      }
      c.require(pyFiles().isEmpty(), "application.pyFiles", pyFiles(),
          "only a Python application takes pyFiles");
      c.require(!Uris.fileName(resource()).endsWith(".py"), "application.resource", resource(),
          "is a Python file, and a JVM application runs a jar: use Application.python(file)");
    } else {
      c.require(mainClass().isEmpty(), "application.mainClass", mainClass().orElse(null),
          "a Python application has no main class; Spark runs the primary file");
      c.require(Uris.fileName(resource()).endsWith(".py"), "application.resource", resource(),
          "the primary file of a Python application must name a .py file");
      for (String f : pyFiles()) {
        Uris.checkResource(c, "application.pyFiles", f);
      }
    }
    c.throwIfAny();
  }
}
