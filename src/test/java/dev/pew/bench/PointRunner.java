package dev.pew.bench;

import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.Stats;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one repetition of one {@link BenchPoint} and measures it, in two phases on fresh topics, a
 * fresh simulator and freshly started processes:
 *
 * <ol>
 *   <li>warm-up: a backlog of about {@code --warmup-seconds}, not measured: a fresh JVM interprets
 *       and compiles for its first tens of seconds, and a worker in production runs for days;
 *   <li>throughput: a backlog produced once the warm-up is done (for the raw pipe, while it is
 *       paused); events per second, peak calls in flight, CPU per 1,000 events, heap and RSS;
 *   <li>latency: an open-loop stream at half the measured throughput (below saturation), for
 *       call, end-to-end and added latency.
 * </ol>
 *
 * Topics are deleted afterwards so a long matrix does not fill the disk. Not thread-safe.
 */
final class PointRunner {

  private static final String TOKEN = "bench-token";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int RESULT_PARTITIONS = 6;

  private final Vertx vertx;
  private final KafkaTestClient kafka;
  private final BenchOptions options;
  private final List<ProcessHandle> harness;

  /** {@code harness}: the processes besides the instances whose CPU is reported as the harness's. */
  PointRunner(Vertx vertx, KafkaTestClient kafka, BenchOptions options, List<ProcessHandle> harness) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.options = options;
    this.harness = List.copyOf(harness);
  }

  /**
   * Runs {@code point}: a warm-up backlog of {@code warmup} events (not measured), the measured
   * backlog of {@code events}, then the open-loop latency run. {@code name} names topics and logs.
   */
  Measurement run(BenchPoint point, String name, int warmup, int events) throws Exception {
    String input = name + "-in";
    String sent = name + "-sent";
    String failed = name + "-failed";
    String deadLetter = name + "-dlq";
    kafka.createTopics(point.partitions(), input);
    kafka.createTopics(RESULT_PARTITIONS, sent);
    kafka.createTopics(1, failed, deadLetter);
    int pacedCapacity = (int) Math.max(200, Math.ceil(options.maxPacedRate() * options.pacedSeconds()));
    int first = warmup;
    int pacedFirst = warmup + events;
    int capacity = pacedFirst + pacedCapacity;
    XcSimulator sim = Blocking.await(XcSimulator.start(vertx, new SimulatorOptions()
        .latency(Duration.ofMillis(point.latencyMs()), Duration.ofMillis(point.latencyMs()))
        .acceptedToken(TOKEN).magicEmails(false).callHistoryLimit(capacity + 1000)));
    List<BenchProcess> instances = new ArrayList<>();
    try (ResultCollector results = ResultCollector.start(kafka.bootstrap(), sent, failed, capacity, pacedFirst);
        LoadGenerator load = new LoadGenerator(kafka.bootstrap(), input, capacity)) {
      for (int i = 0; i < point.instances(); i++) {
        instances.add(start(point, name, i, input, sent, failed, deadLetter, sim));
      }
      awaitStarted(point, instances);
      try (Sampler sampler = Sampler.start(instances, harness)) {
        load.backlog(0, warmup);
        await(results, warmup, Duration.ofSeconds(Math.max(120, 10L * options.seconds())), instances, "warm-up");

        sim.resetPeak();
        if (point.isWorker()) {
          load.backlog(first, pacedFirst); // the generator is several times faster than any worker
        } else {
          // The pipe consumes faster than the generator produces: the backlog goes on the topic
          // while it is paused, else this would measure the generator.
          Path pause = BenchProcess.pauseFile(logOf(name, 0));
          Files.createFile(pause);
          awaitLogged(instances.get(0), RawKafkaPipe.PAUSED);
          load.backlog(first, pacedFirst);
          Files.delete(pause);
        }
        await(results, pacedFirst, Duration.ofSeconds(Math.max(120, 10L * options.seconds())), instances, "backlog");
        int peakInFlight = sim.peakConcurrent();
        Stats loadedCalls = Stats.of(point.isWorker() ? callMillis(sim).entrySet().stream()
            .filter(e -> e.getKey() >= first && e.getKey() < pacedFirst).mapToDouble(Map.Entry::getValue).toArray()
            : new double[0]);
        Window window = Window.of(results.timestamps(first, pacedFirst));
        double cpuPer1000 = sampler.workerCpuBetween(window.fromMs, window.toMs) * 1000.0 / window.events;
        double harnessPer1000 = sampler.harnessCpuBetween(window.fromMs, window.toMs) * 1000.0 / window.events;

        double rate = Math.min(options.maxPacedRate(), Math.min(window.rate(), point.littleBound()) / 2);
        int paced = Math.max(50, Math.min(pacedCapacity, (int) (rate * options.pacedSeconds())));
        load.paced(pacedFirst, pacedFirst + paced, rate);
        await(results, pacedFirst + paced, Duration.ofSeconds(60 + options.pacedSeconds()), instances, "paced");
        double rss = instances.stream().mapToDouble(BenchProcess::peakRssMiB).max().orElse(Double.NaN);
        double heapPeak = instances.stream().mapToDouble(p -> p.heapMiB()[0]).max().orElse(Double.NaN);
        double heapAfterGc = instances.stream().mapToDouble(p -> p.heapMiB()[1]).max().orElse(Double.NaN);
        Latencies lat = Latencies.of(pacedFirst, pacedFirst + paced, load, results,
            point.isWorker() ? callMillis(sim) : Map.of());
        return new Measurement(events, window.rate(), loadedCalls.percentile(50),
            loadedCalls.percentile(99), loadedCalls.mean(), point.isWorker() ? peakInFlight : 0, cpuPer1000, harnessPer1000,
            heapPeak, heapAfterGc, rss, rate, paced, lat.callP50, lat.callP99, lat.e2eP50, lat.e2eP99, lat.addedP50,
            lat.addedP99, lat.intakeP50, lat.intakeP99, lat.workP50, lat.workP99, lat.publishP50, lat.publishP99,
            results.failed(), results.duplicates());
      }
    } finally {
      for (BenchProcess p : instances) {
        p.close();
      }
      Blocking.await(sim.close());
      kafka.admin().deleteTopics(List.of(input, sent, failed, deadLetter)).all().get(30, TimeUnit.SECONDS);
    }
  }

  private BenchProcess start(BenchPoint point, String name, int instance, String input, String sent, String failed,
      String deadLetter, XcSimulator sim) throws IOException {
    Path log = logOf(name, instance);
    if (!point.isWorker()) {
      return BenchProcess.rawPipe(options.workerJvmOptions(),
          List.of(kafka.bootstrap(), name, input, sent, BenchProcess.pauseFile(log).toString()), log);
    }
    int port = freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
    env.put("KAFKA_GROUP_ID", name);
    env.put("TOPIC_INPUT", input);
    env.put("TOPIC_SENT", sent);
    env.put("TOPIC_FAILED", failed);
    env.put("TOPIC_LEDGER", failed + "-ledger"); // each point its own ledger: points reuse event ids
    env.put("TOPIC_DEAD_LETTER", deadLetter);
    env.put("XC_ENDPOINT_URL", sim.url());
    env.put("XC_API_TOKEN", TOKEN);
    env.put("MAX_IN_FLIGHT", Integer.toString(point.maxInFlight()));
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("LOG_FORMAT", "text");
    env.putAll(options.workerEnv());
    return BenchProcess.worker(options.projectDir(), options.jar(), options.workerJvmOptions(), env, port, log);
  }

  private Path logOf(String name, int instance) {
    return options.outputDir().resolve("logs").resolve(name + "-" + instance + ".log");
  }

  private static void awaitLogged(BenchProcess p, String text) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!p.logged(text)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw failure(List.of(p), "never logged '" + text + "'");
      }
      Thread.sleep(20);
    }
  }

  /** Workers: /health/ready answers 200. The pipe: it has printed that it owns partitions. */
  private static void awaitStarted(BenchPoint point, List<BenchProcess> instances) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (BenchProcess p : instances) {
      while (!(point.isWorker() ? p.ready() : p.logged(RawKafkaPipe.ASSIGNED))) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw failure(instances, p.isAlive() ? "not ready after " + READY_TIMEOUT.getSeconds() + " s" : "exited");
        }
        Thread.sleep(100);
      }
    }
  }

  private static void await(ResultCollector results, int total, Duration timeout, List<BenchProcess> instances,
      String phase) throws InterruptedException {
    long start = System.nanoTime();
    if (!results.awaitResults(total, timeout, () -> allAlive(instances))) {
      throw failure(instances, phase + ": only " + results.results() + " of " + total + " results after "
          + seconds(start) + " s");
    }
  }

  /**
   * The steady part of a backlog run: from the 5th to the 95th percentile of its result timestamps,
   * without the start (group join, first fetch) and the tail of the last calls.
   *
   * @param fromMs start, epoch ms
   * @param toMs end, epoch ms
   * @param events results within it
   */
  record Window(double fromMs, double toMs, double events) {

    static Window of(long[] resultTimestamps) {
      double[] ts = new double[resultTimestamps.length];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = resultTimestamps[i];
      }
      Stats s = Stats.of(ts);
      return new Window(s.percentile(5), s.percentile(95), 0.9 * ts.length);
    }

    /** Events per second; NaN when the window is too short to measure (under a millisecond). */
    double rate() {
      return toMs - fromMs < 1 ? Double.NaN : events * 1000.0 / (toMs - fromMs);
    }
  }

  /** Call latency in ms by event index, from the simulator's record of each call. */
  private static Map<Integer, Double> callMillis(XcSimulator sim) {
    Map<Integer, Double> byIndex = new HashMap<>();
    for (XcSimulator.Call c : sim.calls()) {
      if (c.answered()) {
        byIndex.put(BenchEvents.indexOf(c.email()), (c.endNanos() - c.startNanos()) / 1e6);
      }
    }
    return byIndex;
  }

  private static boolean allAlive(List<BenchProcess> instances) {
    return instances.stream().allMatch(BenchProcess::isAlive);
  }

  private static IllegalStateException failure(List<BenchProcess> instances, String what) {
    StringBuilder b = new StringBuilder(what);
    for (BenchProcess p : instances) {
      b.append("\n  pid ").append(p.pid()).append(p.isAlive() ? " running" : " exited").append(", last lines:");
      p.logTail(10).forEach(line -> b.append("\n    | ").append(line));
    }
    return new IllegalStateException(b.toString());
  }

  private static String seconds(long sinceNanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - sinceNanos) / 1e9);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Percentiles of the latency phase. */
  record Latencies(double callP50, double callP99, double e2eP50, double e2eP99, double addedP50, double addedP99,
      double intakeP50, double intakeP99, double workP50, double workP99, double publishP50, double publishP99) {

    static Latencies of(int from, int to, LoadGenerator load, ResultCollector results, Map<Integer, Double> callMs) {
      int n = to - from;
      long[] resultTs = results.timestamps(from, to);
      long[] received = results.receivedAt(from, to);
      long[] completed = results.completedAt(from, to);
      double[] e2e = new double[n];
      double[] call = new double[callMs.isEmpty() ? 0 : n];
      double[] added = new double[n];
      double[] intake = new double[n];
      double[] work = new double[n];
      double[] publish = new double[n];
      for (int i = 0; i < n; i++) {
        long input = load.inputTimestamp(from + i);
        e2e[i] = resultTs[i] - input;
        double c = callMs.isEmpty() ? 0 : callMs.getOrDefault(from + i, Double.NaN);
        if (call.length > 0) {
          call[i] = c;
        }
        added[i] = e2e[i] - c;
        intake[i] = received[i] - input;
        work[i] = completed[i] - received[i];
        publish[i] = resultTs[i] - completed[i];
      }
      Stats e = Stats.of(e2e);
      Stats c = Stats.of(call);
      Stats a = Stats.of(added);
      Stats in = Stats.of(intake);
      Stats w = Stats.of(work);
      Stats p = Stats.of(publish);
      return new Latencies(c.percentile(50), c.percentile(99), e.percentile(50), e.percentile(99),
          a.percentile(50), a.percentile(99), in.percentile(50), in.percentile(99), w.percentile(50), w.percentile(99),
          p.percentile(50), p.percentile(99));
    }
  }
}
