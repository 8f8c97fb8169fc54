package io.sparkk8s.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A small SVG line chart: one series of points over a linear x axis, with an optional horizontal
 * band (a target: the reference value and its allowance). Plain SVG 1.1 text, as {@link BarChart}.
 *
 * <pre>{@code
 * String svg = new LineChart("Heap over the soak", "jobs done", "MiB", points,
 *     Optional.of(new LineChart.Band(40, 60, "first 1,000 jobs + 20 MB"))).svg();
 * }</pre>
 */
record LineChart(String title, String xLabel, String yLabel, List<Point> points, Optional<Band> band) {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 360;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  record Point(double x, double y) {}

  /** A horizontal band from {@code low} to {@code high}, drawn behind the line. */
  record Band(double low, double high, String label) {}

  String svg() {
    double maxX = points.stream().mapToDouble(Point::x).max().orElse(1);
    double maxY = points.stream().mapToDouble(Point::y).max().orElse(1);
    if (band.isPresent()) {
      maxY = Math.max(maxY, band.get().high());
    }
    maxY = niceCeiling(maxY * 1.1);
    maxX = niceCeiling(maxX);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(text(WIDTH / 2.0, 24, title, "middle", 15));
    if (band.isPresent()) {
      Band b = band.get();
      double y1 = TOP + plotH * (1 - b.high() / maxY);
      double y2 = TOP + plotH * (1 - b.low() / maxY);
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2ca02c\""
          + " fill-opacity=\"0.15\"/>%n", LEFT, y1, plotW, y2 - y1));
      s.append(text(LEFT + plotW - 4, y1 - 4, b.label(), "end", 11));
    }
    for (int i = 0; i <= 5; i++) {
      double v = maxY * i / 5;
      double y = TOP + plotH * (1 - v / maxY);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
          LEFT, y, LEFT + plotW, y));
      s.append(text(LEFT - 6, y + 4, Report.number(v), "end", 11));
      double xv = maxX * i / 5;
      double x = LEFT + plotW * xv / maxX;
      s.append(text(x, TOP + plotH + 18, Report.number(xv), "middle", 11));
    }
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
        LEFT, TOP, LEFT, TOP + plotH));
    StringBuilder path = new StringBuilder();
    for (Point p : points) {
      double x = LEFT + plotW * p.x() / maxX;
      double y = TOP + plotH * (1 - p.y() / maxY);
      path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
          BarChart.COLORS.get(0)));
    }
    s.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path,
        BarChart.COLORS.get(0)));
    s.append(text(LEFT + plotW / 2.0, HEIGHT - 16, xLabel, "middle", 12));
    s.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">"
        + "%s</text>%n", TOP + plotH / 2.0, TOP + plotH / 2.0, BarChart.esc(yLabel)));
    return s.append("</svg>\n").toString();
  }

  private static String text(double x, double y, String text, String anchor, int size) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
        x, y, anchor, size, BarChart.esc(text));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
