import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;

/**
 * Run by CelebornClientSparkTest with Java's source launcher, on Spark's own classpath: starts a
 * local SparkContext with the conf given as key=value arguments and prints the shuffle manager
 * Spark loaded and whether its shuffle driver components store shuffle data reliably (what
 * ExecutorAllocationManager checks since SPARK-42689 before it allows dynamic allocation without
 * a shuffle service or shuffle tracking).
 */
public class CelebornProbe {
  public static void main(String[] args) {
    SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("celeborn-probe")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    for (String a : args) {
      int eq = a.indexOf('=');
      conf.set(a.substring(0, eq), a.substring(eq + 1));
    }
    SparkContext sc = new SparkContext(conf);
    try {
      System.out.println("PROBE shuffleManager=" + SparkEnv.get().shuffleManager().getClass().getName());
      System.out.println("PROBE reliableStorage=" + sc.shuffleDriverComponents().supportsReliableStorage());
    } finally {
      sc.stop();
    }
  }
}
