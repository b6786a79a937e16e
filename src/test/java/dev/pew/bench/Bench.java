package dev.pew.bench;

import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.Stats;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the benchmark's points on a given broker, one run at a time (runs never overlap: they share
 * two cores), and writes the report. Backlogs are sized to last about {@code --seconds}: from the
 * previous runs of the point when there are some, else from its Little's-law bound and the Kafka
 * ceiling.
 *
 * <p>Not thread-safe: one benchmark per JVM at a time.
 */
public final class Bench {

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final BenchOptions options;
  private final String bootstrap;
  private final List<ProcessHandle> harness;
  private final PrintStream out;

  /**
   * @param harness the processes whose CPU counts as the harness's: this JVM, and the broker's
   *     process when it has one
   */
  public Bench(BenchOptions options, String bootstrap, List<ProcessHandle> harness, PrintStream out) {
    this.options = options;
    this.bootstrap = bootstrap;
    this.harness = List.copyOf(harness);
    this.out = out;
  }

  /** Runs every point and writes the report; returns the summaries in run order. */
  public BenchResults run() throws Exception {
    Files.createDirectories(options.outputDir());
    Files.createDirectories(options.reportDir());
    ZonedDateTime started = ZonedDateTime.now();
    out.println("password-email-worker benchmark: " + options.describe());
    Map<BenchPoint, PointSummary> done = new LinkedHashMap<>();
    Vertx vertx = Vertx.vertx();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        RawRows rows = RawRows.create(options.outputDir().resolve("benchmark-runs.csv"))) {
      PointRunner runner = new PointRunner(vertx, kafka, options, harness);
      // The broker is a fresh JVM too: its first minute is slower (the ceiling's first run came out
      // at 40 % of its third). One unmeasured pass of the raw pipe warms it for every point.
      long warmStart = System.nanoTime();
      runner.run(BenchPoint.rawKafka(6), String.format(Locale.ROOT, "bench%03d-broker-warm-up", RUNS.incrementAndGet()),
          options.maxEvents() / 2, options.maxEvents() / 2);
      out.printf(Locale.ROOT, "  broker warmed up (one unmeasured raw pipe run) in %.0f s%n",
          (System.nanoTime() - warmStart) / 1e9);
      for (BenchPoint point : ordered(options.points())) {
        List<Measurement> runs = new ArrayList<>();
        for (int r = 1; r <= options.repeats(); r++) {
          int events = backlogSize(point, runs, done, options.seconds());
          int warmup = Math.max(500, backlogSize(point, runs, done, options.warmupSeconds()));
          String name = String.format(Locale.ROOT, "bench%03d-%s", RUNS.incrementAndGet(),
              point.label().replace('/', '-'));
          Measurement m = runner.run(point, name, warmup, events);
          runs.add(m);
          rows.add(point, r, m);
          out.println(BenchReport.progressLine(point, r, options.repeats(), m, ceilingFor(point, done)));
        }
        done.put(point, new PointSummary(point, runs));
      }
    } finally {
      Blocking.await(vertx.close());
    }
    BenchResults results = new BenchResults(options, started, ZonedDateTime.now(), List.copyOf(done.values()));
    BenchReport.write(results, options.reportDir().resolve("benchmark-results.md"));
    Files.writeString(options.reportDir().resolve("benchmark-throughput.svg"), ThroughputChart.render(results));
    out.println("report: " + options.reportDir().resolve("benchmark-results.md") + " and benchmark-throughput.svg; "
        + "raw rows: " + options.outputDir().resolve("benchmark-runs.csv"));
    return results;
  }

  /** Raw Kafka points first: the worker's backlogs and ratios need their ceilings. */
  private static List<BenchPoint> ordered(List<BenchPoint> points) {
    List<BenchPoint> ordered = new ArrayList<>(points.stream().filter(p -> !p.isWorker()).toList());
    ordered.addAll(points.stream().filter(BenchPoint::isWorker).toList());
    return ordered;
  }

  /** Events for about {@code seconds} of work at the rate this point is expected to reach. */
  private int backlogSize(BenchPoint point, List<Measurement> earlier, Map<BenchPoint, PointSummary> done,
      int seconds) {
    double expected;
    if (!earlier.isEmpty()) {
      expected = Stats.of(earlier.stream().mapToDouble(Measurement::throughput).toArray()).median();
    } else {
      double ceiling = ceilingFor(point, done);
      double guessCeiling = Double.isNaN(ceiling) ? 20_000 : ceiling;
      expected = point.isWorker() ? Math.min(0.9 * point.littleBound(), 0.4 * guessCeiling) : guessCeiling;
    }
    long events = Math.round(expected * seconds);
    return (int) Math.max(1_000, Math.min(options.maxEvents(), events));
  }

  /** The median raw Kafka throughput for the point's partition count; NaN when not measured. */
  static double ceilingFor(BenchPoint point, Map<BenchPoint, PointSummary> done) {
    PointSummary s = done.get(BenchPoint.rawKafka(point.partitions()));
    return s == null ? Double.NaN : s.throughput().median();
  }
}
