package io.sparkk8s.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one benchmark run: one row per measure with the SDK's figure beside
 * spark-submit's and the raw client-java floor's, the ratio the target is about, and
 * whether the target was met. Writes the Markdown table, the CSV and the site page's section.
 *
 * <pre>{@code
 * Report report = new Report(machine);
 * report.add(new Report.Row("1 latency", "submit, median", "ms", 40.0, 5200.0, 30.0, 1.3, "a/c", "<= 1.5", Status.MET, ""));
 * report.writeMarkdown(Path.of("results.md"));
 * }</pre>
 */
final class Report {

  enum Status {
    MET("met"), MISSED("**missed**"), INFO("-"), NOT_RUN("not run");

    final String markdown;

    Status(String markdown) {
      this.markdown = markdown;
    }

    String csv() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One measure. Absent figures are {@code null}.
   *
   * @param ratioLabel what the ratio is ({@code b/a}, {@code SDK/floor}, ...)
   */
  record Row(String section, String measure, String unit, Double sdk, Double sparkSubmit, Double floor,
      Double ratio, String ratioLabel, String target, Status status, String note) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> appendices = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
  }

  synchronized void note(String note) {
    notes.add(note);
  }

  /** A Markdown section printed after the table and its notes (a profile, say). */
  synchronized void appendix(String markdown) {
    appendices.add(markdown);
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /** The results table (Markdown), then the notes as a list. */
  synchronized String markdownTable() {
    StringBuilder md = new StringBuilder();
    md.append("| # | Measure | SDK | spark-submit | Floor (raw client-java) | Ratio | Target | Status | Note |\n");
    md.append("|---|---|---:|---:|---:|---:|---|---|---|\n");
    for (Row r : rows) {
      md.append("| ").append(cell(r.section())).append(" | ").append(cell(r.measure()))
          .append(" | ").append(figure(r.sdk(), r.unit()))
          .append(" | ").append(figure(r.sparkSubmit(), r.unit()))
          .append(" | ").append(figure(r.floor(), r.unit()))
          .append(" | ").append(r.ratio() == null ? "" : number(r.ratio()) + "× (" + r.ratioLabel() + ")")
          .append(" | ").append(cell(r.target()))
          .append(" | ").append(r.status().markdown)
          .append(" | ").append(cell(r.note())).append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    appendices.forEach(a -> md.append('\n').append(a));
    return md.toString();
  }

  /** RFC 4180 CSV, numbers unformatted, one row per measure. */
  synchronized String csv() {
    StringBuilder csv = new StringBuilder(
        "section,measure,unit,sdk,spark_submit,floor,ratio,ratio_of,target,status,note\r\n");
    for (Row r : rows) {
      csv.append(String.join(",", csvField(r.section()), csvField(r.measure()), csvField(r.unit()),
          raw(r.sdk()), raw(r.sparkSubmit()), raw(r.floor()), raw(r.ratio()), csvField(r.ratioLabel()),
          csvField(r.target()), csvField(r.status().csv()), csvField(r.note()))).append("\r\n");
    }
    return csv.toString();
  }

  /**
   * Replaces the part of {@code page} between {@code <!-- bench:results:start -->} and
   * {@code <!-- bench:results:end -->} with {@code generated}.
   */
  static String replaceGenerated(String page, String generated) {
    return replaceGenerated(page, "results", generated);
  }

  /** Replaces the part of {@code page} between {@code <!-- bench:NAME:start/end -->}. */
  static String replaceGenerated(String page, String name, String generated) {
    String start = "<!-- bench:" + name + ":start -->";
    String end = "<!-- bench:" + name + ":end -->";
    int from = page.indexOf(start);
    int to = page.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("the page has no " + start + " ... " + end + " section");
    }
    return page.substring(0, from + start.length()) + "\n" + generated + page.substring(to);
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** A figure as people read it: 3 significant digits, no exponent, thousands unseparated. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == 0 || Double.isInfinite(v)) {
      return v == 0 ? "0" : "∞";
    }
    double a = Math.abs(v);
    if (a >= 100 || (v == Math.rint(v) && a < 1e15)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String figure(Double v, String unit) {
    return v == null ? "" : number(v) + (unit.isEmpty() ? "" : " " + unit);
  }

  private static String raw(Double v) {
    return v == null || Double.isNaN(v) || Double.isInfinite(v) ? "" : BigDecimalText.of(v);
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }

  static String csvField(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /** Plain decimal text of a double (no exponent), at most 6 decimals. */
  static final class BigDecimalText {
    private BigDecimalText() {}

    static String of(double v) {
      return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
          .toPlainString();
    }
  }
}
