package io.sparkk8s.exception;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A description ({@code SparkJob} or one of its parts) broke one or more rules and could not be
 * built. Thrown by {@code build()}, before any cluster is contacted. Every rule that failed is
 * listed in {@link #problems()}, each naming the attribute, the offending value and the rule, so a
 * caller fixing its input sees all problems in one go.
 *
 * <p>Avoid it by building descriptions from validated input; the message is written for the
 * person who supplied the value:
 *
 * <pre>
 * Invalid SparkJob: 2 problems
 *   - name 'Nightly_ETL': must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit
 *   - executor.instances '3': cannot be set together with dynamicAllocation; set one or the other
 * </pre>
 */
public class InvalidDescriptionException extends SparkK8sException {
  private static final long serialVersionUID = 1L;

  /** One broken rule: which attribute, which value, and what the rule is. */
  public record Problem(String attribute, String value, String rule) {
    /** Creates a problem; {@code value} may be null when the attribute is missing. */
    public Problem {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String toString() {
      return value == null ? attribute + ": " + rule : attribute + " '" + value + "': " + rule;
    }
  }

  private final String description;
  private final transient List<Problem> problems;

  /**
   * Used by the generated builders. A missing mandatory attribute ({@code "Cannot build SparkJob,
   * some of required attributes are not set [name, application]"}) becomes one problem per
   * attribute, "is required"; a null where a value is required ({@code "name"},
   * {@code "sparkConf value for key: k"}, {@code "arguments element"}) becomes a problem "must not
   * be null" on that attribute. {@link #problems()} is never empty.
   */
  public InvalidDescriptionException(String message) {
    this(BuilderMessage.parse(message));
  }

  private InvalidDescriptionException(BuilderMessage parsed) {
    this(parsed.description(), parsed.problems());
  }

  /** A description of type {@code description} (for example "SparkJob") broke these rules. */
  public InvalidDescriptionException(String description, List<Problem> problems) {
    super(format(description, problems));
    this.description = description;
    this.problems = List.copyOf(problems);
  }

  /** The kind of description that was invalid, for example {@code SparkJob}. */
  public String description() {
    return description;
  }

  /** Every broken rule, in the order the attributes are declared. */
  public List<Problem> problems() {
    return problems;
  }

  /** What a generated builder's message says, as problems. */
  private record BuilderMessage(String description, List<Problem> problems) {
    private static final Pattern MISSING =
        Pattern.compile("Cannot build (\\w+), some of required attributes are not set \\[(.*)]");
    private static final Pattern MAP_VALUE = Pattern.compile("(\\w+) value for key: (.*)", Pattern.DOTALL);

    static BuilderMessage parse(String message) {
      String m = message == null ? "" : message;
      Matcher missing = MISSING.matcher(m);
      if (missing.matches()) {
        List<Problem> problems = new ArrayList<>();
        for (String attribute : missing.group(2).split(",\\s*")) {
          problems.add(new Problem(attribute, null, "is required; set it on the builder"));
        }
        return new BuilderMessage(missing.group(1), problems);
      }
      if (m.startsWith("Cannot build ")) {
        return new BuilderMessage("description", List.of(new Problem("(attributes)", null, m)));
      }
      Matcher value = MAP_VALUE.matcher(m);
      Problem problem;
      if (value.matches()) {
        problem = new Problem(value.group(1) + "[" + value.group(2) + "]", null, "must not be null");
      } else if (m.endsWith(" key")) {
        problem = new Problem(m.substring(0, m.length() - 4), null, "a key must not be null");
      } else if (m.endsWith(" element")) {
        problem = new Problem(m.substring(0, m.length() - 8), null, "an element must not be null");
      } else {
        problem = new Problem(m.isBlank() ? "(attribute)" : m, null, "must not be null");
      }
      return new BuilderMessage("description", List.of(problem));
    }
  }

  private static String format(String description, List<Problem> problems) {
    if (problems.size() == 1) {
      return "Invalid " + description + ": " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder("Invalid ").append(description).append(": ")
        .append(problems.size()).append(" problems");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
