package dev.pew.bench;

import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.Stats;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
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
    // Peers are built before anything is measured: a build takes both cores for a minute.
    List<Contender> contenders = contenders();
    Map<BenchPoint, PointSummary> done = new LinkedHashMap<>();
    List<PeerSummary> compared = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        RawRows rows = options.points().isEmpty() ? null
            : RawRows.create(options.outputDir().resolve("benchmark-runs.csv"));
        PeerRows peerRows = options.comparesPeers() ? PeerRows.create(peerRowsFile()) : null) {
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
      Map<String, List<Double>> rates = new HashMap<>();
      for (PeerPoint point : options.peerPoints()) {
        compared.add(compare(runner, point, contenders, rates, done, peerRows));
      }
    } finally {
      Blocking.await(vertx.close());
    }
    BenchResults results = new BenchResults(options, started, ZonedDateTime.now(), List.copyOf(done.values()),
        compared);
    Path report = options.reportDir().resolve(BenchReport.fileName(results));
    BenchReport.write(results, report);
    List<Path> written = new ArrayList<>(List.of(report));
    if (!results.points().isEmpty()) {
      written.add(options.reportDir().resolve("benchmark-throughput.svg"));
      Files.writeString(written.get(written.size() - 1), ThroughputChart.render(results));
      written.add(options.outputDir().resolve("benchmark-runs.csv"));
    }
    if (!compared.isEmpty()) {
      written.add(options.reportDir().resolve("benchmark-peers.svg"));
      Files.writeString(written.get(written.size() - 1), ThroughputChart.renderPeers(results));
      Path peerCsv = peerRowsFile();
      if (!options.reportDir().equals(options.outputDir())) {
        peerCsv = Files.copy(peerCsv, options.reportDir().resolve(peerCsv.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      written.add(peerCsv);
    }
    out.println("report: " + written.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")));
    return results;
  }

  private Path peerRowsFile() {
    return options.outputDir().resolve("benchmark-peers-runs.csv");
  }

  /** The worker and the peers of a comparison, the peers built when needed; empty without comparison points. */
  private List<Contender> contenders() throws IOException, InterruptedException {
    if (!options.comparesPeers()) {
      return List.of();
    }
    List<Contender> contenders = new ArrayList<>(List.of(Contender.worker(options)));
    PeerBuild build = new PeerBuild(options.peersSource(), options.projectDir().resolve("target/peers"), out);
    for (String peer : options.peers()) {
      contenders.add(new Contender(peer, build.jar(peer), options.peerJvmOptions()));
    }
    return contenders;
  }

  /**
   * Every repeat of one comparison point, the contenders one after the other in each round (A B C A
   * B C ...), so that each round's runs see the machine in the same state. {@code rates}: the steady
   * rates so far by {@link #rateKey}, for sizing warm backlogs.
   */
  private PeerSummary compare(PointRunner runner, PeerPoint point, List<Contender> contenders,
      Map<String, List<Double>> rates, Map<BenchPoint, PointSummary> done, PeerRows rows) throws Exception {
    List<PeerRun> runs = new ArrayList<>();
    for (int r = 1; r <= options.repeats(); r++) {
      for (Contender c : contenders) {
        String name = String.format(Locale.ROOT, "bench%03d-%s-%s-%s", RUNS.incrementAndGet(),
            point.isCold() ? "cold" : "warm", c.name(), point.point().label().replace('/', '-'));
        PeerRun run;
        if (point.isCold()) {
          run = runner.runCold(point.point(), c, name, point.events(), r);
        } else {
          int events = peerBacklog(point.point(), c, rates, done, options.seconds());
          int warmup = Math.max(500, peerBacklog(point.point(), c, rates, done, options.warmupSeconds()));
          run = PeerRun.warm(c.name(), r, runner.runWarm(point.point(), c, name, warmup, events));
        }
        runs.add(run);
        rates.computeIfAbsent(rateKey(point.mode(), point.point(), c), k -> new ArrayList<>()).add(run.steadyRate());
        rows.add(point, run);
        out.println(PeersReport.progressLine(point, run, options.repeats()));
      }
    }
    return new PeerSummary(point, contenders.stream().map(Contender::name).toList(), runs);
  }

  private static String rateKey(PeerPoint.Mode mode, BenchPoint point, Contender c) {
    return mode + " " + point.label() + " " + c.name();
  }

  /**
   * A warm backlog for about {@code seconds} of the contender's work: from its warm runs at this point
   * so far, else its cold ones at the same point (cold points run first), else as for the worker's points.
   */
  private int peerBacklog(BenchPoint point, Contender c, Map<String, List<Double>> rates,
      Map<BenchPoint, PointSummary> done, int seconds) {
    List<Double> known = rates.getOrDefault(rateKey(PeerPoint.Mode.WARM, point, c),
        rates.getOrDefault(rateKey(PeerPoint.Mode.COLD, point, c), List.of()));
    double[] values = known.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
    if (values.length == 0) {
      return backlogSize(point, List.of(), done, seconds);
    }
    long events = Math.round(Stats.of(values).median() * seconds);
    return (int) Math.max(1_000, Math.min(options.maxEvents(), events));
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
