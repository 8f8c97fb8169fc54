package io.sparkk8s.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportTest {

  private static Report report() {
    Report report = new Report();
    report.add(new Report.Row("1 submit latency", "submit, median (b/a)", "ms", 40.0, 5000.0, 32.0, 125.0, "b/a",
        ">= 50× faster", Report.Status.MET, "n=50"));
    report.add(new Report.Row("3 tracking scale", "heap per tracked job, 10,000 jobs", "KB", 12.25, 240000.0, null,
        19591.8, "spark-submit/SDK", "<= 5 KB", Report.Status.MISSED, "informer caches \"whole\" pods, | too"));
    report.note("load was high");
    return report;
  }

  @Test
  void markdownHasOneRowPerMeasureWithUnitsRatiosAndStatus() {
    String md = report().markdownTable();
    List<String> lines = md.lines().toList();
    assertThat(lines.get(0)).startsWith("| # | Measure | SDK | spark-submit | Floor");
    assertThat(lines.get(2)).isEqualTo("| 1 submit latency | submit, median (b/a) | 40 ms | 5000 ms | 32 ms"
        + " | 125× (b/a) | >= 50× faster | met | n=50 |");
    assertThat(lines.get(3)).contains("| 12.3 KB | 240000 KB |  | 19592× (spark-submit/SDK) |")
        .contains("| **missed** |").contains("\\| too");
    assertThat(md).endsWith("\n- load was high\n");
  }

  @Test
  void csvQuotesFieldsWithCommasAndQuotesAndKeepsNumbersPlain() {
    List<String> lines = report().csv().lines().toList();
    assertThat(lines.get(0)).isEqualTo("section,measure,unit,sdk,spark_submit,floor,ratio,ratio_of,target,status,note");
    assertThat(lines.get(1)).isEqualTo("1 submit latency,submit, median (b/a),ms,40,5000,32,125,b/a,>= 50× faster,met,n=50"
        .replace("submit, median (b/a)", "\"submit, median (b/a)\""));
    assertThat(lines.get(2)).contains(",12.25,240000,,19591.8,")
        .endsWith(",missed,\"informer caches \"\"whole\"\" pods, | too\"");
    assertThat(report().csv()).contains("\r\n");
  }

  @Test
  void numbersAreShownWithThreeSignificantDigitsAndNoExponent() {
    assertThat(Report.number(123456.7)).isEqualTo("123457");
    assertThat(Report.number(12.34)).isEqualTo("12.3");
    assertThat(Report.number(1.234)).isEqualTo("1.23");
    assertThat(Report.number(0.0001234)).isEqualTo("0.000123");
    assertThat(Report.number(0)).isEqualTo("0");
    assertThat(Report.number(1)).isEqualTo("1");
  }

  @Test
  void theGeneratedSectionOfThePageIsReplacedAndTheRestKept() {
    String page = "# B\nintro\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\nafter\n";
    assertThat(Report.replaceGenerated(page, "new table\n"))
        .isEqualTo("# B\nintro\n<!-- bench:results:start -->\nnew table\n<!-- bench:results:end -->\nafter\n");
    assertThatThrownBy(() -> Report.replaceGenerated("# no markers", "x"))
        .hasMessageContaining("bench:results:start");
  }

  @Test
  void theChartIsWellFormedSvgWithABarPerFigureAndTheTargetLines() throws Exception {
    String svg = Charts.of(report(), "bench <run>").svg();
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // Legend squares plus one bar per figure: latency 3 (SDK, spark-submit, floor), memory 2.
    assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 3 + 3 + 2);
    assertThat(svg).contains("bench &lt;run&gt;").contains("target 2.5 KB").contains("log scale");
  }

  @Test
  void aLogAxisPlacesDecadesEvenly() {
    BarChart.Axis axis = new BarChart.Axis(true, 1, 4);
    assertThat(axis.position(10)).isEqualTo(0);
    assertThat(axis.position(100)).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(axis.position(10_000)).isEqualTo(1);
    assertThat(axis.ticks()).containsExactly(10.0, 100.0, 1000.0, 10000.0);
    assertThat(new BarChart.Axis(false, 0, 110).ticks()).containsExactly(0.0, 50.0, 100.0);
    assertThat(Optional.of(new BarChart.Target(5, "t")).get().value()).isEqualTo(5);
  }
}
