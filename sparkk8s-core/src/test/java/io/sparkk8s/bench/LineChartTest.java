package io.sparkk8s.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineChartTest {
  @Test
  void drawsEveryPointOnOnePathWithTheBandBehind() {
    String svg = new LineChart("Heap <over> time", "minutes", "MB",
        List.of(new LineChart.Point(0, 40), new LineChart.Point(5, 45), new LineChart.Point(10, 42)),
        Optional.of(new LineChart.Band(20, 60, "first wave ± 20 MB"))).svg();
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
    assertThat(svg.split("<circle", -1)).hasSize(4);
    assertThat(svg).containsOnlyOnce("<path d=\"M").contains(" L").contains("fill-opacity");
    assertThat(svg).contains("Heap &lt;over&gt; time").doesNotContain("<over>");
  }

  @Test
  void axesEndOnARoundNumberAboveTheLargestValue() {
    assertThat(LineChart.niceCeiling(43)).isEqualTo(50);
    assertThat(LineChart.niceCeiling(101)).isEqualTo(200);
    assertThat(LineChart.niceCeiling(0.3)).isEqualTo(0.5);
    assertThat(LineChart.niceCeiling(1000)).isEqualTo(1000);
  }
}
