package io.sparkk8s.conformance.reference;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Spark version in its own class loader (parent: the platform class loader, so nothing of the
 * test classpath leaks in, and Spark's Scala, fabric8, Jackson and Hadoop don't leak out), with
 * the bridge compiled for it. Only JDK types cross the boundary.
 *
 * <p>Each call shields the rest of the test JVM from what Spark does to JVM-wide state: it hides
 * {@code spark.*} system properties (a {@code new SparkConf()} inside {@code spark-submit} would
 * read them), sets the context class loader (fabric8 and Spark load classes through it), and
 * undoes Spark's installation of the JUL-to-SLF4J bridge on the root JUL logger (Spark's
 * {@code Logging} does that when first used).
 */
final class IsolatedSpark {

  private static final String BRIDGE = "io.sparkk8s.oracle.bridge.SparkSubmitBridge";
  private static final String EXECUTOR_BRIDGE = "io.sparkk8s.oracle.bridge.ExecutorPodBridge";

  /** System properties and the JUL root logger are JVM-wide: one submission at a time. */
  private static final Object JVM_WIDE_STATE = new Object();

  private final String sparkVersion;
  private final URLClassLoader loader;
  private final Method submit;
  private final Method executorPod;

  private IsolatedSpark(String sparkVersion, URLClassLoader loader, Method submit,
      Method executorPod) {
    this.sparkVersion = sparkVersion;
    this.loader = loader;
    this.submit = submit;
    this.executorPod = executorPod;
  }

  static IsolatedSpark load(OracleLayout layout, String sparkVersion) {
    List<Path> jars = layout.classpath(sparkVersion);
    Path bridge = BridgeCompiler.compile(layout, sparkVersion, jars);
    List<URL> urls = new ArrayList<>();
    try {
      // The bridge first: its log4j2-test.properties must win over anything in Spark's jars.
      urls.add(bridge.toUri().toURL());
      for (Path jar : jars) {
        urls.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    URLClassLoader loader = new URLClassLoader(
        "spark-" + sparkVersion, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    try {
      Class<?> bridgeClass = Class.forName(BRIDGE, true, loader);
      Method submit = bridgeClass.getMethod(
          "submit", List.class, String.class, Map.class, String.class);
      Method executorPod = Class.forName(EXECUTOR_BRIDGE, true, loader)
          .getMethod("executorPod", Map.class, String.class);
      IsolatedSpark spark = new IsolatedSpark(sparkVersion, loader, submit, executorPod);
      String loaded = (String) spark.call(bridgeClass.getMethod("sparkVersion"));
      if (!sparkVersion.equals(loaded)) {
        throw new IllegalStateException("the classpath of Spark " + sparkVersion
            + " (" + layout.classpathFile(sparkVersion) + ") holds Spark " + loaded);
      }
      return spark;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the Spark reference bridge for Spark "
          + sparkVersion + " from " + bridge, e);
    }
  }

  String sparkVersion() {
    return sparkVersion;
  }

  /** See {@code SparkSubmitBridge.submit} (in src/test/spark-oracle/bridge) for the result. */
  @SuppressWarnings("unchecked")
  Map<String, Object> submit(
      List<String> sparkSubmitArgs, String appId, Map<String, String> environment, String uid) {
    return (Map<String, Object>) call(
        submit, List.copyOf(sparkSubmitArgs), appId, Map.copyOf(environment), uid);
  }

  /** See {@code ExecutorPodBridge.executorPod}: executor 1's pod as JSON. */
  String executorPod(Map<String, String> driverProperties, String appId) {
    return (String) call(executorPod, Map.copyOf(driverProperties), appId);
  }

  private Object call(Method method, Object... args) {
    synchronized (JVM_WIDE_STATE) {
      Thread thread = Thread.currentThread();
      ClassLoader contextLoader = thread.getContextClassLoader();
      Map<String, String> sparkProperties = removeSparkSystemProperties();
      Logger julRoot = Logger.getLogger("");
      Handler[] julHandlers = julRoot.getHandlers();
      Level julLevel = julRoot.getLevel();
      try {
        thread.setContextClassLoader(loader);
        return method.invoke(null, args);
      } catch (InvocationTargetException e) {
        throw new SparkReferenceException(sparkVersion, e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } finally {
        thread.setContextClassLoader(contextLoader);
        removeSparkSystemProperties();
        sparkProperties.forEach(System::setProperty);
        restore(julRoot, julHandlers, julLevel);
      }
    }
  }

  private static Map<String, String> removeSparkSystemProperties() {
    Map<String, String> removed = new HashMap<>();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("spark.")) {
        removed.put(key, System.getProperty(key));
        System.clearProperty(key);
      }
    }
    return removed;
  }

  private static void restore(Logger logger, Handler[] handlers, Level level) {
    List<Handler> wanted = Arrays.asList(handlers);
    for (Handler handler : logger.getHandlers()) {
      if (!wanted.contains(handler)) {
        logger.removeHandler(handler);
      }
    }
    List<Handler> present = Arrays.asList(logger.getHandlers());
    for (Handler handler : handlers) {
      if (!present.contains(handler)) {
        logger.addHandler(handler);
      }
    }
    logger.setLevel(level);
  }

  @Override
  public String toString() {
    return "Spark " + sparkVersion + " in " + loader.getName();
  }
}
