package io.sparkk8s.it;

/**
 * The namespace {@link RealClusterExtension} created for the running test. It is deleted after the test,
 * unless the test failed: then it is kept for inspection and its name printed.
 *
 * @param name the namespace's name
 */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
