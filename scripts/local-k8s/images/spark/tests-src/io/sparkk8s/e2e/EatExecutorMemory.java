package io.sparkk8s.e2e;

import java.lang.reflect.Field;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import sun.misc.Unsafe;

/**
 * E2E test program: a job whose one task keeps allocating and touching native memory on its
 * executor, outside the JVM's heap and direct-buffer limits, until the kernel kills the executor
 * for exceeding its container's memory limit (exit code 137). With {@code spark.task.maxFailures=1}
 * Spark then fails the job, and the driver exits non-zero.
 */
public final class EatExecutorMemory {
  private EatExecutorMemory() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("eat-executor-memory").getOrCreate();
    try {
      new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1), 1).foreach(x -> eat());
    } finally {
      spark.stop();
    }
  }

  private static void eat() throws ReflectiveOperationException {
    Field f = Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    Unsafe unsafe = (Unsafe) f.get(null);
    long chunk = 64L << 20;
    for (long mib = 0; ; mib += 64) {
      unsafe.setMemory(unsafe.allocateMemory(chunk), chunk, (byte) 1);
      if (mib % 256 == 0) {
        System.out.println("EatExecutorMemory: holding " + mib + " MiB");
      }
    }
  }
}
