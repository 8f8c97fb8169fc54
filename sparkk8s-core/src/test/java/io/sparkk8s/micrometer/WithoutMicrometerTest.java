package io.sparkk8s.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: on a class path without it, the client, the handles, the test kit and a
 * whole submit-and-succeed through the kit work; only the binder cannot load.
 */
class WithoutMicrometerTest {

  @Test
  void theSdkRunsWithoutMicrometerOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("micrometer")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false,
          loader)).as("the isolation works").isInstanceOf(ClassNotFoundException.class);
      for (String name : List.of("io.sparkk8s.internal.kube.KubeSparkClient",
          "io.sparkk8s.internal.kube.KubeJobHandle", "io.sparkk8s.internal.kube.NamespaceWatch",
          "io.sparkk8s.internal.kube.UiForward")) {
        assertThat(Class.forName(name, true, loader)).isNotNull();
      }
      // A submit through the test kit, by reflection in the isolated loader.
      Class<?> kit = Class.forName("io.sparkk8s.testing.InMemorySparkKubernetes", true, loader);
      Object spark = kit.getConstructor().newInstance();
      Class<?> jobType = Class.forName("io.sparkk8s.spec.SparkJob", true, loader);
      Class<?> app = Class.forName("io.sparkk8s.spec.Application", true, loader);
      Object builder = jobType.getMethod("builder").invoke(null);
      Object application = app.getMethod("jvm", String.class, String.class)
          .invoke(null, "a.B", "local:///opt/a.jar");
      builder.getClass().getMethod("name", String.class).invoke(builder, "plain");
      builder.getClass().getMethod("application", app).invoke(builder, application);
      Object job = builder.getClass().getMethod("build").invoke(builder);
      Object handle = kit.getMethod("submit", jobType).invoke(spark, job);
      Object scripted = kit.getMethod("onlyJob").invoke(spark);
      Object running = scripted.getClass().getMethod("running").invoke(scripted);
      running.getClass().getMethod("succeed").invoke(running);
      Object metrics = Class.forName("io.sparkk8s.SparkJobHandle", true, loader)
          .getMethod("metrics").invoke(handle);
      assertThat(metrics.toString()).contains("total=");
      assertThatThrownBy(() -> Class.forName("io.sparkk8s.micrometer.SparkK8sMetrics", true,
          loader)).isInstanceOf(NoClassDefFoundError.class);
    }
  }
}
