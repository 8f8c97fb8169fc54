package io.sparkk8s;

import java.util.List;
import java.util.Objects;

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
   * Used by the generated builders when mandatory attributes are missing; the message lists all of
   * them at once.
   */
  public InvalidDescriptionException(String message) {
    super(message);
    this.description = "";
    this.problems = List.of();
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
