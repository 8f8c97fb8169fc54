package io.sparkk8s;

import io.sparkk8s.spec.NotebookEnvironment;
import java.util.Optional;

/**
 * What a user needs to log in to a notebook of a platform, read from its Secret.
 *
 * <pre>{@code
 * NotebookCredentials login = spark.notebookCredentials(platform, "zep");
 * // Zeppelin: login.user() = Optional[admin], login.secret() = the password
 * // Jupyter:  login.user() = empty,           login.secret() = the token
 * }</pre>
 *
 * @param kind the notebook's kind: which of user and secret to expect
 * @param user the user name to log in as (Zeppelin's {@code admin}); empty for Jupyter's token
 * @param secret Jupyter's token or Zeppelin's password; never logged by the SDK
 */
public record NotebookCredentials(NotebookEnvironment.Kind kind, Optional<String> user,
    String secret) {
  @Override
  public String toString() {
    return "NotebookCredentials{" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", user=" + user.orElse("-") + ", secret=***}";
  }
}
