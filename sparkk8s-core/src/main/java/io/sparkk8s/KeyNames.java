package io.sparkk8s;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The check of the names in the keys a client hands to the stores it is given ({@link
 * LogArchive.Key}, {@link StagedFiles.Key}): they are read from the cluster, and the stores use
 * them as path segments.
 */
final class KeyNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private KeyNames() {}

  /**
   * Refuses {@code value} unless it is a Kubernetes name ({@code [a-z0-9]([-a-z0-9.]*[a-z0-9])?},
   * at most 253 characters) without {@code ..}, naming {@code owner.field} and the value.
   */
  static void check(String owner, String field, String value) {
    Objects.requireNonNull(value, field);
    if (!NAME.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException(owner + "." + field + " '"
          + value.replaceAll("[^\\x20-\\x7e]", "?") + "' is not a Kubernetes name"
          + " ([a-z0-9]([-a-z0-9.]*[a-z0-9])?, at most 253 characters, no '..')");
    }
  }
}
