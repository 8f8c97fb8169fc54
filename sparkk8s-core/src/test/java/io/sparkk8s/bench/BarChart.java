package io.sparkk8s.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A small SVG bar chart: panels stacked vertically, each a set of groups of horizontal bars, on a
 * linear or a logarithmic axis, with an optional target line. Plain SVG 1.1 text, so the site
 * shows it as an image and a diff of two runs is readable.
 *
 * <pre>{@code
 * String svg = new BarChart("Benchmarks")
 *     .panel(new BarChart.Panel("Submit latency, median", "ms", true, groups, Optional.empty()))
 *     .svg();
 * }</pre>
 */
final class BarChart {
  static final List<String> COLORS = List.of("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e");
  private static final int WIDTH = 900;
  private static final int LABEL_WIDTH = 230;
  private static final int PLOT_WIDTH = WIDTH - LABEL_WIDTH - 90;
  private static final int BAR = 16;
  private static final int GAP = 10;

  /** One bar: which series it belongs to (its colour) and its value. */
  record Bar(String series, double value) {}

  /** Bars drawn together under one label. */
  record Group(String label, List<Bar> bars) {}

  /** A target drawn as a dashed vertical line. */
  record Target(double value, String label) {}

  record Panel(String title, String unit, boolean logScale, List<Group> groups, Optional<Target> target) {}

  private final String title;
  private final List<Panel> panels = new ArrayList<>();

  BarChart(String title) {
    this.title = title;
  }

  BarChart panel(Panel panel) {
    panels.add(panel);
    return this;
  }

  String svg() {
    List<String> series = new ArrayList<>();
    panels.forEach(p -> p.groups().forEach(g -> g.bars().forEach(b -> {
      if (!series.contains(b.series())) {
        series.add(b.series());
      }
    })));
    StringBuilder body = new StringBuilder();
    int y = 40;
    // Legend.
    int x = LABEL_WIDTH;
    for (int i = 0; i < series.size(); i++) {
      body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 10, color(series, series.get(i)), x + 16, y, esc(series.get(i))));
      x += 24 + 8 * series.get(i).length();
    }
    y += 20;
    for (Panel panel : panels) {
      y = drawPanel(body, panel, series, y) + 24;
    }
    return String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
        + "<text x=\"10\" y=\"20\" font-size=\"16\" font-weight=\"bold\">%s</text>%n%s</svg>%n",
        WIDTH, y, WIDTH, y, esc(title), body);
  }

  private int drawPanel(StringBuilder out, Panel panel, List<String> series, int top) {
    out.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s (%s%s)</text>%n",
        top + 14, esc(panel.title()), esc(panel.unit()), panel.logScale() ? ", log scale" : ""));
    int y = top + 26;
    double max = panel.groups().stream().flatMap(g -> g.bars().stream()).mapToDouble(Bar::value).max().orElse(1);
    double min = panel.groups().stream().flatMap(g -> g.bars().stream()).mapToDouble(Bar::value)
        .filter(v -> v > 0).min().orElse(1);
    if (panel.target().isPresent()) {
      max = Math.max(max, panel.target().get().value());
      min = Math.min(min, panel.target().get().value());
    }
    Axis axis = panel.logScale()
        ? new Axis(true, Math.floor(Math.log10(min)), Math.ceil(Math.log10(max)))
        : new Axis(false, 0, max * 1.1);
    int plotTop = y;
    for (Group group : panel.groups()) {
      int groupHeight = group.bars().size() * (BAR + 2);
      out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
          LABEL_WIDTH - 8, y + groupHeight / 2 + 4, esc(group.label())));
      for (Bar bar : group.bars()) {
        int w = Math.max(1, (int) Math.round(axis.position(bar.value()) * PLOT_WIDTH));
        out.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %s %s</title></rect>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n",
            LABEL_WIDTH, y, w, BAR, color(series, bar.series()), esc(bar.series()), Report.number(bar.value()),
            esc(panel.unit()), LABEL_WIDTH + w + 4, y + BAR - 4, Report.number(bar.value())));
        y += BAR + 2;
      }
      y += GAP;
    }
    int plotBottom = y - GAP + 2;
    out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
        LABEL_WIDTH, plotTop - 2, LABEL_WIDTH, plotBottom));
    for (double tick : axis.ticks()) {
      int tx = LABEL_WIDTH + (int) Math.round(axis.position(tick) * PLOT_WIDTH);
      out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">%s</text>%n",
          tx, plotTop - 2, tx, plotBottom, tx, plotBottom + 14, tick(tick)));
    }
    y = plotBottom + 18;
    if (panel.target().isPresent()) {
      Target target = panel.target().get();
      int tx = LABEL_WIDTH + (int) Math.round(axis.position(target.value()) * PLOT_WIDTH);
      out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" "
          + "stroke-dasharray=\"4,3\"/><text x=\"%d\" y=\"%d\" font-style=\"italic\">%s</text>%n",
          tx, plotTop - 6, tx, plotBottom, tx + 4, plotBottom + 28, esc(target.label())));
      y += 14;
    }
    return y;
  }

  /** An axis label: plain digits, no trailing zeros. */
  static String tick(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** Where a value sits between the axis' ends, 0..1. */
  record Axis(boolean log, double from, double to) {
    double position(double value) {
      if (log) {
        double v = Math.log10(Math.max(value, Math.pow(10, from)));
        return to == from ? 1 : (v - from) / (to - from);
      }
      return to <= 0 ? 0 : Math.min(1, value / to);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double e = from; e <= to; e++) {
          ticks.add(Math.pow(10, e));
        }
      } else {
        double step = niceStep(to / 5);
        for (double t = 0; t <= to; t += step) {
          ticks.add(t);
        }
      }
      return ticks;
    }

    private static double niceStep(double raw) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double[] steps = {1, 2, 5, 10};
      for (double s : steps) {
        if (s * magnitude >= raw) {
          return s * magnitude;
        }
      }
      return 10 * magnitude;
    }
  }

  private static String color(List<String> series, String name) {
    return COLORS.get(series.indexOf(name) % COLORS.size());
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
