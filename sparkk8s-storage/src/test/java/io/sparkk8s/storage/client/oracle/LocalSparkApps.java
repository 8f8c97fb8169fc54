package io.sparkk8s.storage.client.oracle;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The main of the child JVM that runs real Spark applications in local mode, one after another:
 * each argument is {@code <appName>;<key>=<value>;...}. Spark is reached by reflection, because
 * Spark is only on the child's classpath, never on this module's.
 *
 * <p>Each application runs a small job and stops, so its event log ends with
 * {@code SparkListenerApplicationEnd}; an application named {@code *-running} prints
 * {@code RUNNING <appId>} and waits for a line on stdin before stopping (an in-progress log).
 */
public final class LocalSparkApps {
  private LocalSparkApps() {}

  public static void main(String[] args) throws Exception {
    Class<?> confClass = Class.forName("org.apache.spark.SparkConf");
    Class<?> jscClass = Class.forName("org.apache.spark.api.java.JavaSparkContext");
    for (String spec : args) {
      String[] parts = spec.split(";");
      Object conf = confClass.getConstructor().newInstance();   // loads spark.* system properties
      Method set = confClass.getMethod("set", String.class, String.class);
      set.invoke(conf, "spark.app.name", parts[0]);
      set.invoke(conf, "spark.master", "local[1]");
      set.invoke(conf, "spark.ui.enabled", "false");
      set.invoke(conf, "spark.driver.host", "127.0.0.1");
      set.invoke(conf, "spark.driver.bindAddress", "127.0.0.1");
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        set.invoke(conf, parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
      Object jsc = jscClass.getConstructor(confClass).newInstance(conf);
      List<Integer> data = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        data.add(i);
      }
      Object rdd = jscClass.getMethod("parallelize", List.class, int.class).invoke(jsc, data, 2);
      Object count = rdd.getClass().getMethod("count").invoke(rdd);
      Object sc = jscClass.getMethod("sc").invoke(jsc);
      String appId = (String) sc.getClass().getMethod("applicationId").invoke(sc);
      if (parts[0].endsWith("-running")) {
        System.out.println("RUNNING " + appId);
        System.out.flush();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
      }
      jscClass.getMethod("stop").invoke(jsc);
      System.out.println("APP " + parts[0] + " " + appId + " count=" + count);
      System.out.flush();
    }
  }
}
