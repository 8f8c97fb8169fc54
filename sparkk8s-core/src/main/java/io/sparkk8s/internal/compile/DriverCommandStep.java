package io.sparkk8s.internal.compile;

import java.util.Map;

/**
 * The driver container's arguments for the image's entrypoint ({@code driver --properties-file
 * ... --class ... <resource> <args>}) and the Python interpreter variables, as Spark's
 * {@code DriverCommandFeatureStep}. Python applications run through Spark's {@code PythonRunner}.
 * Unlike {@code spark-submit}, the submitting process's own {@code PYSPARK_PYTHON} is not read:
 * set {@code spark.pyspark.python} to choose the interpreter.
 */
public final class DriverCommandStep implements FeatureStep {
  public static final String PROPERTIES_FILE = "/opt/spark/conf/spark.properties";
  public static final String PYTHON_RUNNER = "org.apache.spark.deploy.PythonRunner";

  @Override
  public SparkPod configurePod(SparkPod sp, DriverContext ctx) {
    var c = sp.container();
    var app = ctx.job().application();
    c.addArgsItem("driver");
    ctx.job().proxyUser().ifPresent(u -> {
      c.addArgsItem("--proxy-user");
      c.addArgsItem(u);
    });
    c.addArgsItem("--properties-file");
    c.addArgsItem(PROPERTIES_FILE);
    c.addArgsItem("--class");
    c.addArgsItem(ctx.python() ? PYTHON_RUNNER : app.mainClass().orElseThrow());
    c.addArgsItem(app.resource());
    ctx.job().arguments().forEach(c::addArgsItem);
    if (ctx.python()) {
      String python = ctx.conf().get("spark.pyspark.python");
      String driverPython = ctx.conf().getOrDefault("spark.pyspark.driver.python", python);
      if (python != null) {
        c.addEnvItem(BasicDriverStep.env("PYSPARK_PYTHON", python));
      }
      if (driverPython != null) {
        c.addEnvItem(BasicDriverStep.env("PYSPARK_DRIVER_PYTHON", driverPython));
      }
    }
    return sp;
  }

  @Override
  public Map<String, String> systemProperties(DriverContext ctx) {
    return Map.of("spark.kubernetes.resource.type", ctx.python() ? "python" : "java");
  }
}
