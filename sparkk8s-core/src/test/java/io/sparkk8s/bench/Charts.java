package io.sparkk8s.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The chart of a run, drawn from its report's rows: submit latency (log scale), throughput, memory
 * per tracked job against one waiting spark-submit (log scale), and completion delay.
 *
 * <pre>{@code
 * Files.writeString(Path.of("chart.svg"), Charts.of(report, "sparkk8s benchmarks").svg());
 * }</pre>
 */
final class Charts {
  private Charts() {}

  static BarChart of(Report report, String title) {
    BarChart chart = new BarChart(title);
    List<BarChart.Group> latency = new ArrayList<>();
    List<BarChart.Group> throughput = new ArrayList<>();
    List<BarChart.Group> memory = new ArrayList<>();
    List<BarChart.Group> delay = new ArrayList<>();
    for (Report.Row r : report.rows()) {
      if (r.section().startsWith("1") && r.measure().endsWith("(b/a)")) {
        String stat = r.measure().contains("median") ? "median" : "p99";
        latency.add(new BarChart.Group(stat, bars("SDK", r.sdk(), "spark-submit", r.sparkSubmit(),
            "floor (raw client-java)", r.floor())));
      } else if (r.section().startsWith("2") && r.measure().startsWith("jobs accepted")) {
        String jobs = r.measure().replaceAll(".*second, ([0-9,]+ jobs).*", "$1");
        throughput.add(new BarChart.Group(jobs, bars("SDK", r.sdk(), "spark-submit", null,
            "floor (raw client-java)", r.floor())));
      } else if (r.section().startsWith("3") && r.measure().startsWith("heap per tracked job")) {
        memory.add(new BarChart.Group(r.measure().substring(r.measure().lastIndexOf(", ") + 2),
            bars("SDK", r.sdk(), "spark-submit", r.sparkSubmit(), "", null)));
      } else if (r.section().startsWith("3") && r.measure().startsWith("phase change")) {
        String[] parts = r.measure().split(", ");
        delay.add(new BarChart.Group(parts[parts.length - 1] + ", " + parts[1], bars("SDK", r.sdk(), "", null, "",
            null)));
      }
    }
    if (!latency.isEmpty()) {
      chart.panel(new BarChart.Panel("Submit until the driver pod exists", "ms", true, latency, Optional.empty()));
    }
    if (!throughput.isEmpty()) {
      chart.panel(new BarChart.Panel("Jobs accepted per second, one client", "jobs/s", false, throughput,
          Optional.empty()));
    }
    if (!memory.isEmpty()) {
      chart.panel(new BarChart.Panel("Memory per tracked job: SDK heap vs one waiting spark-submit JVM (RSS)", "KB",
          true, memory, Optional.of(new BarChart.Target(2.5, "target 2.5 KB"))));
    }
    if (!delay.isEmpty()) {
      chart.panel(new BarChart.Panel("Pod phase change to the handle's future completing", "ms", false, delay,
          Optional.of(new BarChart.Target(200, "target p99 200 ms"))));
    }
    return chart;
  }

  private static List<BarChart.Bar> bars(String s1, Double v1, String s2, Double v2, String s3, Double v3) {
    List<BarChart.Bar> bars = new ArrayList<>();
    if (v1 != null) {
      bars.add(new BarChart.Bar(s1, v1));
    }
    if (v2 != null) {
      bars.add(new BarChart.Bar(s2, v2));
    }
    if (v3 != null) {
      bars.add(new BarChart.Bar(s3, v3));
    }
    return bars;
  }
}
