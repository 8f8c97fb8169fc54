package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SparkPi's answer, checked as the estimate it is. SparkPi throws {@code n} random points, so its
 * result has a standard error of {@code sqrt(pi (4 - pi) / n)}: 0.00058 for 4 x 2M points. A
 * prefix such as "3.14" leaves only 0.0016 below pi, 2.7 standard errors: about one run in 300
 * printed 3.139... and failed (CI, stop 31: "Pi is roughly 3.139893"). The bound here is
 * {@value #TOLERANCE}, over 8 standard errors at 8M points: a wrong computation still misses it.
 */
final class PiEstimate {
  /** How far from pi an estimate of at least 8M points may be. */
  static final double TOLERANCE = 0.005;
  private static final Pattern LINE = Pattern.compile("Pi is roughly (\\d+\\.\\d+)");

  private PiEstimate() {}

  /** Asserts the log holds SparkPi's result line and its estimate is within the bound of pi. */
  static double assertNearPi(String log) {
    Matcher m = LINE.matcher(log);
    assertThat(m.find()).as("a 'Pi is roughly' line in the driver log:%n%s", log).isTrue();
    double estimate = Double.parseDouble(m.group(1));
    assertThat(estimate).as("SparkPi's estimate").isCloseTo(Math.PI, within(TOLERANCE));
    return estimate;
  }
}
