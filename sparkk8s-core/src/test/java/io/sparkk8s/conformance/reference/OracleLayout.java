package io.sparkk8s.conformance.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where the oracle's files are: the Spark versions (properties of the parent pom), the classpath
 * files the build resolves into {@code target/spark-oracle/}, and the bridge source in
 * {@code src/test/spark-oracle/bridge/}.
 */
final class OracleLayout {

  private final Path moduleDir;

  private OracleLayout(Path moduleDir) {
    this.moduleDir = moduleDir;
  }

  /** Finds sparkk8s-core from the test classes' location, else from the working directory. */
  static OracleLayout locate() {
    List<Path> candidates = new ArrayList<>();
    testClassesDir().ifPresent(classes -> candidates.add(classes.getParent().getParent()));
    Optional.ofNullable(System.getProperty("basedir")).map(Path::of).ifPresent(candidates::add);
    Path workingDir = Path.of("").toAbsolutePath();
    candidates.add(workingDir);
    candidates.add(workingDir.resolve("sparkk8s-core"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve("src/test/spark-oracle/pom.xml"))) {
        return new OracleLayout(candidate.toAbsolutePath().normalize());
      }
    }
    throw new IllegalStateException(
        "cannot find sparkk8s-core (with src/test/spark-oracle/pom.xml) among " + candidates);
  }

  private static Optional<Path> testClassesDir() {
    try {
      var source = OracleLayout.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      return Files.isDirectory(location) && location.getParent() != null
          && location.getParent().getParent() != null ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The value of {@code <property>} in the parent pom, e.g. {@code spark4.version}. */
  String sparkVersion(String property) {
    Path parentPom = moduleDir.getParent().resolve("pom.xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element project = factory.newDocumentBuilder().parse(parentPom.toFile()).getDocumentElement();
      for (Node properties = project.getFirstChild(); properties != null;
          properties = properties.getNextSibling()) {
        if ("properties".equals(properties.getNodeName())) {
          for (Node p = properties.getFirstChild(); p != null; p = p.getNextSibling()) {
            if (property.equals(p.getNodeName())) {
              return p.getTextContent().trim();
            }
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + parentPom, e);
    }
    throw new IllegalStateException("no <" + property + "> in the <properties> of " + parentPom);
  }

  /** The jars of one Spark version, as resolved by the build (see sparkk8s-core/pom.xml). */
  List<Path> classpath(String sparkVersion) {
    Path file = classpathFile(sparkVersion);
    String howToFix = "; run `mvn -pl sparkk8s-core generate-test-resources` (it resolves "
        + "src/test/spark-oracle/pom.xml for each Spark version)";
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no Spark classpath file " + file + howToFix);
    }
    List<Path> jars = new ArrayList<>();
    for (String entry : read(file).trim().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        Path jar = Path.of(entry);
        if (!Files.exists(jar)) {
          throw new IllegalStateException(
              file + " names " + jar + ", which does not exist: delete the file" + howToFix);
        }
        jars.add(jar);
      }
    }
    return jars;
  }

  Path classpathFile(String sparkVersion) {
    return oracleDir().resolve("spark-" + sparkVersion + ".classpath");
  }

  /** {@code target/spark-oracle}: classpath files and compiled bridges. */
  Path oracleDir() {
    return moduleDir.resolve("target/spark-oracle");
  }

  /** The bridge's Java sources and its log4j2 configuration. */
  Path bridgeSourceDir() {
    return moduleDir.resolve("src/test/spark-oracle/bridge");
  }

  List<Path> bridgeFiles() {
    try (Stream<Path> files = Files.walk(bridgeSourceDir())) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
