package io.sparkk8s.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The site's API reference ({@code src/site/markdown/api-reference.md}) has a section, with an
 * example, for every public description type: a type added without one fails here. Its snippets
 * are compiled by the examples' {@code DocSnippetsTest}.
 */
class ApiReferencePageTest {

  private static final Path PAGE = Path.of("../src/site/markdown/api-reference.md");

  /** The public top-level types users build descriptions from (not Immutables' generated ones). */
  private static List<String> descriptionTypes() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.sparkk8s.spec", "io.sparkk8s.storage").stream()
        .filter(c -> c.getPackageName().equals("io.sparkk8s.spec")
            || c.getPackageName().equals("io.sparkk8s.storage"))
        .filter(JavaClass::isTopLevelClass)
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
        .filter(c -> !c.getSimpleName().startsWith("Immutable"))
        .map(JavaClass::getSimpleName).sorted().toList();
  }

  @Test
  void everyPublicDescriptionTypeHasASectionWithAnExample() throws Exception {
    String page = Files.readString(PAGE);
    List<String> types = descriptionTypes();
    assertThat(types).contains("SparkJob", "Volume", "Toleration", "SparkPlatform", "EventLog");
    // "### `Type`", then prose, then a java block before the next section.
    Matcher sections = Pattern.compile("(?m)^### `(\\w+)`\\n(.*?)(?=^##|\\z)", Pattern.DOTALL)
        .matcher(page);
    java.util.Map<String, String> bodies = new java.util.TreeMap<>();
    while (sections.find()) {
      bodies.put(sections.group(1), sections.group(2));
    }
    assertThat(bodies.keySet()).as("sections of %s", PAGE).containsAll(types);
    for (String type : types) {
      assertThat(bodies.get(type)).as("the section of %s", type).contains("```java")
          .contains(type);
    }
  }
}
