package io.sparkk8s;

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
 * @param kind {@code jupyter} or {@code zeppelin}
 * @param user the user name to log in as (Zeppelin's {@code admin}); empty for Jupyter's token
 * @param secret Jupyter's token or Zeppelin's password; never logged by the SDK
 */
public record NotebookCredentials(String kind, Optional<String> user, String secret) {
  @Override
  public String toString() {
    return "NotebookCredentials{" + kind + ", user=" + user.orElse("-") + ", secret=***}";
  }
}
