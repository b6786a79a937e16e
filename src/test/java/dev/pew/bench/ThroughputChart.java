package dev.pew.bench;

import dev.pew.testing.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An SVG chart of the worker's throughput against {@code MAX_IN_FLIGHT} (log scale), one line per
 * API latency (median with min-max bars), its Little's-law bound dashed in the same colour, and
 * the raw Kafka ceiling as a grey dashed line. Plots the one-instance points on the partition
 * count most points share. {@link #renderPeers} draws a comparison with the peers: per comparison
 * point one bar per contender (median, min-max whiskers) and the point's Little's bound. Stateless;
 * no dependencies beyond the JDK.
 */
final class ThroughputChart {

  private static final int WIDTH = 820;
  private static final int HEIGHT = 480;
  private static final int LEFT = 80;
  private static final int RIGHT = 250;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"};
  private static final String CEILING_COLOUR = "#555555";
  /** The worker, then the peers in order: the worker's colour stays the same whatever peers run. */
  private static final String[] CONTENDER_COLOURS = {"#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e"};

  private ThroughputChart() {}

  static String render(BenchResults results) {
    int partitions = mostCommonPartitions(results);
    List<PointSummary> shown = results.workers().stream()
        .filter(s -> s.point().instances() == 1 && s.point().partitions() == partitions).toList();
    TreeSet<Integer> latencies = new TreeSet<>();
    TreeSet<Integer> concurrency = new TreeSet<>();
    shown.forEach(s -> {
      latencies.add(s.point().latencyMs());
      concurrency.add(s.point().maxInFlight());
    });
    double ceiling = results.ceiling(partitions);

    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (PointSummary s : shown) {
      lo = Math.min(lo, s.throughput().min());
      hi = Math.max(hi, s.throughput().max());
      if (!Double.isInfinite(s.point().littleBound())) {
        lo = Math.min(lo, s.point().littleBound());
        hi = Math.max(hi, s.point().littleBound());
      }
    }
    if (!Double.isNaN(ceiling)) {
      lo = Math.min(lo, ceiling);
      hi = Math.max(hi, ceiling);
    }
    if (Double.isInfinite(lo)) {
      lo = 100;
      hi = 10_000;
    }
    Scale y = new Scale(Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.05))));
    int minX = concurrency.isEmpty() ? 16 : concurrency.first();
    int maxX = concurrency.isEmpty() ? 256 : concurrency.last();
    double xLo = log2(minX) - 0.5;
    double xHi = log2(maxX) + 0.5;

    Svg svg = new Svg();
    svg.text(LEFT, 28, "password-email-worker throughput vs MAX_IN_FLIGHT (" + partitions + " partitions, one instance)",
        "start", 16, "bold");
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    // axes and grid
    svg.rect(LEFT, TOP, plotW, plotH);
    for (double v = y.lo; v <= y.hi * 1.0001; v *= 10) {
      for (int m = 1; m < 10; m++) {
        double tick = v * m;
        if (tick > y.hi * 1.0001) {
          break;
        }
        double py = TOP + plotH * (1 - y.fraction(tick));
        svg.line(LEFT, py, LEFT + plotW, py, m == 1 ? "#cccccc" : "#eeeeee", 1, null);
        if (m == 1 || m == 2 || m == 5) {
          svg.text(LEFT - 6, py + 4, String.format(Locale.ROOT, "%,.0f", tick), "end", 11, null);
        }
      }
    }
    for (int c : concurrency) {
      double px = LEFT + plotW * (log2(c) - xLo) / (xHi - xLo);
      svg.line(px, TOP, px, TOP + plotH, "#eeeeee", 1, null);
      svg.text(px, TOP + plotH + 18, Integer.toString(c), "middle", 11, null);
    }
    svg.text(LEFT + plotW / 2.0, HEIGHT - 18, "MAX_IN_FLIGHT (calls in flight per instance)", "middle", 12, null);
    svg.text(18, TOP + plotH / 2.0, "events per second (log scale)", "middle", 12, null, -90);

    int legendY = TOP + 10;
    int i = 0;
    for (int latency : latencies) {
      String colour = COLOURS[i++ % COLOURS.length];
      List<double[]> line = new ArrayList<>();
      List<double[]> bound = new ArrayList<>();
      for (PointSummary s : shown) {
        if (s.point().latencyMs() != latency) {
          continue;
        }
        double px = LEFT + plotW * (log2(s.point().maxInFlight()) - xLo) / (xHi - xLo);
        Stats t = s.throughput();
        line.add(new double[] {px, TOP + plotH * (1 - y.fraction(t.median()))});
        svg.line(px, TOP + plotH * (1 - y.fraction(t.min())), px, TOP + plotH * (1 - y.fraction(t.max())), colour, 1.5,
            null);
        if (!Double.isInfinite(s.point().littleBound())) {
          bound.add(new double[] {px, TOP + plotH * (1 - y.fraction(s.point().littleBound()))});
        }
      }
      svg.polyline(line, colour, 2.5, null);
      line.forEach(pt -> svg.circle(pt[0], pt[1], 4, colour));
      if (!bound.isEmpty()) {
        svg.polyline(bound, colour, 1.5, "6,4");
      }
      svg.line(WIDTH - RIGHT + 20, legendY, WIDTH - RIGHT + 50, legendY, colour, 2.5, null);
      svg.text(WIDTH - RIGHT + 56, legendY + 4, "measured, API latency " + latency + " ms", "start", 11, null);
      legendY += 20;
      if (!bound.isEmpty()) {
        svg.line(WIDTH - RIGHT + 20, legendY, WIDTH - RIGHT + 50, legendY, colour, 1.5, "6,4");
        svg.text(WIDTH - RIGHT + 56, legendY + 4, "bound " + "in flight / " + latency + " ms", "start", 11, null);
        legendY += 20;
      }
    }
    if (!Double.isNaN(ceiling)) {
      double py = TOP + plotH * (1 - y.fraction(ceiling));
      svg.line(LEFT, py, LEFT + plotW, py, CEILING_COLOUR, 2, "2,3");
      svg.line(WIDTH - RIGHT + 20, legendY, WIDTH - RIGHT + 50, legendY, CEILING_COLOUR, 2, "2,3");
      svg.text(WIDTH - RIGHT + 56, legendY + 4, String.format(Locale.ROOT, "raw Kafka ceiling %,.0f/s", ceiling),
          "start", 11, null);
      legendY += 20;
    }
    svg.text(WIDTH - RIGHT + 20, legendY + 10, "bars: min-max of the repeats", "start", 10, null);
    return svg.done();
  }

  /**
   * The comparison with the peers: one group per comparison point (cold and warm), one bar per
   * contender at its median events per second with a min-max whisker, a dashed line at the point's
   * Little's bound; a linear scale from 0.
   */
  static String renderPeers(BenchResults results) {
    List<PeerSummary> groups = results.comparisons();
    List<String> contenders = new ArrayList<>();
    groups.forEach(g -> g.contenders().stream().filter(c -> !contenders.contains(c)).forEach(contenders::add));
    double hi = 0;
    for (PeerSummary g : groups) {
      for (String c : g.contenders()) {
        double max = g.stats(c, PeerRun::throughput).max();
        hi = Double.isNaN(max) ? hi : Math.max(hi, max);
      }
      if (!Double.isInfinite(g.point().point().littleBound())) {
        hi = Math.max(hi, g.point().point().littleBound());
      }
    }
    double top = niceCeiling(hi <= 0 ? 1_000 : hi * 1.08);
    int groupWidth = Math.max(90, 30 * contenders.size() + 40);
    int width = Math.max(WIDTH, LEFT + groupWidth * Math.max(1, groups.size()) + RIGHT);
    int plotW = groupWidth * Math.max(1, groups.size());
    int plotH = HEIGHT - TOP - BOTTOM - 20;
    Svg svg = new Svg(width, HEIGHT);
    svg.text(LEFT, 28, "password-email-worker beside its peers: events per second", "start", 16, "bold");
    svg.rect(LEFT, TOP, plotW, plotH);
    double step = top / 5;
    for (int i = 0; i <= 5; i++) {
      double py = TOP + plotH * (1 - i * step / top);
      svg.line(LEFT, py, LEFT + plotW, py, i == 0 ? "#999999" : "#eeeeee", 1, null);
      svg.text(LEFT - 6, py + 4, String.format(Locale.ROOT, "%,.0f", i * step), "end", 11, null);
    }
    svg.text(18, TOP + plotH / 2.0, "events per second", "middle", 12, null, -90);
    double barW = (groupWidth - 40.0) / Math.max(1, contenders.size());
    for (int g = 0; g < groups.size(); g++) {
      PeerSummary s = groups.get(g);
      double x0 = LEFT + g * groupWidth + 20;
      for (int c = 0; c < contenders.size(); c++) {
        Stats t = s.stats(contenders.get(c), PeerRun::throughput);
        if (t.isEmpty()) {
          continue;
        }
        String colour = CONTENDER_COLOURS[c % CONTENDER_COLOURS.length];
        double px = x0 + c * barW;
        double py = TOP + plotH * (1 - t.median() / top);
        svg.bar(px + 2, py, barW - 4, TOP + plotH - py, colour);
        double cx = px + barW / 2;
        svg.line(cx, TOP + plotH * (1 - t.min() / top), cx, TOP + plotH * (1 - t.max() / top), "#333333", 1.5, null);
      }
      double bound = s.point().point().littleBound();
      if (!Double.isInfinite(bound)) {
        double py = TOP + plotH * (1 - bound / top);
        svg.line(x0 - 8, py, x0 + contenders.size() * barW + 8, py, "#333333", 1.5, "6,4");
      }
      double cx = LEFT + g * groupWidth + groupWidth / 2.0;
      BenchPoint p = s.point().point();
      svg.text(cx, TOP + plotH + 16, (s.point().isCold() ? "cold" : "warm"), "middle", 11, "bold");
      svg.text(cx, TOP + plotH + 30, p.latencyMs() + " ms / " + p.maxInFlight(), "middle", 11, null);
      if (s.point().isCold()) {
        svg.text(cx, TOP + plotH + 44, String.format(Locale.ROOT, "%,d events", s.point().events()), "middle", 10, null);
      }
    }
    int legendX = LEFT + plotW + 20;
    int legendY = TOP + 10;
    for (int c = 0; c < contenders.size(); c++) {
      svg.bar(legendX, legendY - 8, 24, 12, CONTENDER_COLOURS[c % CONTENDER_COLOURS.length]);
      svg.text(legendX + 30, legendY + 3, Contender.title(contenders.get(c)), "start", 11, null);
      legendY += 20;
    }
    svg.line(legendX, legendY, legendX + 24, legendY, "#333333", 1.5, "6,4");
    svg.text(legendX + 30, legendY + 4, "Little's bound, in flight / latency", "start", 11, null);
    legendY += 20;
    svg.text(legendX, legendY + 4, "whiskers: min-max of the repeats", "start", 10, null);
    svg.text(legendX, legendY + 20, "cold: events / first to last result", "start", 10, null);
    svg.text(legendX, legendY + 34, "warm: 5th-95th percentile window", "start", 10, null);
    return svg.done();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}. */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static int mostCommonPartitions(BenchResults results) {
    return results.workers().stream().filter(s -> s.point().instances() == 1)
        .collect(java.util.stream.Collectors.groupingBy(s -> s.point().partitions(),
            java.util.stream.Collectors.counting()))
        .entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(6);
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /** A log10 scale from {@code lo} to {@code hi}. */
  private record Scale(double lo, double hi) {
    double fraction(double v) {
      double clamped = Math.max(lo, Math.min(hi, v));
      return (Math.log10(clamped) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    }
  }

  /** Just enough SVG. */
  private static final class Svg {
    private final StringBuilder b = new StringBuilder();

    Svg() {
      this(WIDTH, HEIGHT);
    }

    Svg(int width, int height) {
      b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", width, height, width, height));
      b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    }

    void bar(double x, double y, double w, double h, String colour) {
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
          x, y, w, Math.max(0, h), colour));
    }

    void rect(double x, double y, double w, double h) {
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
          + "stroke=\"#999999\"/>%n", x, y, w, h));
    }

    void line(double x1, double y1, double x2, double y2, String colour, double width, String dash) {
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
          + "stroke-width=\"%.1f\"%s/>%n", x1, y1, x2, y2, colour, width, dash(dash)));
    }

    void polyline(List<double[]> points, String colour, double width, String dash) {
      StringBuilder pts = new StringBuilder();
      points.forEach(p -> pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1])));
      b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
          pts.toString().strip(), colour, width, dash(dash)));
    }

    void circle(double x, double y, double r, String colour) {
      b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n", x, y, r, colour));
    }

    void text(double x, double y, String text, String anchor, int size, String weight) {
      text(x, y, text, anchor, size, weight, 0);
    }

    void text(double x, double y, String text, String anchor, int size, String weight, int rotate) {
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s%s>%s</text>%n",
          x, y, anchor, size, weight == null ? "" : " font-weight=\"" + weight + "\"",
          rotate == 0 ? "" : String.format(Locale.ROOT, " transform=\"rotate(%d %.1f %.1f)\"", rotate, x, y),
          escape(text)));
    }

    private static String dash(String dash) {
      return dash == null ? "" : " stroke-dasharray=\"" + dash + "\"";
    }

    private static String escape(String s) {
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    String done() {
      return b.append("</svg>\n").toString();
    }
  }
}
