package dev.pew.bench;

import dev.pew.config.Settings;
import dev.pew.ledger.LedgerOptions;
import dev.pew.ledger.LedgerTopic;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

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
    return run(point, point.isWorker() ? Contender.worker(options) : null, true, name, warmup, events);
  }

  /**
   * A warm comparison run: {@link #run} with {@code contender} in the worker's place. The simulator
   * checks no token here, for any contender: the peers send none.
   */
  Measurement runWarm(BenchPoint point, Contender contender, String name, int warmup, int events) throws Exception {
    return run(point, contender, false, name, warmup, events);
  }

  /**
   * The worker's ledger topic, made beforehand as the worker would make it: like the result topics,
   * which every contender finds in place. A worker's very first start in a cluster makes it itself,
   * about a second more of its start-up (measured in docs/benchmarks.md).
   */
  private void createLedgerTopic(String failed, String input) {
    String ledger = failed + "-ledger";
    LedgerTopic.ensure(kafka.admin(), ledger, input,
        LedgerOptions.of(ledger, Long.parseLong(Settings.DEDUP_WINDOW_MS.defaultText())).keepMs());
  }

  /** {@code contender}: null for the raw pipe. */
  private Measurement run(BenchPoint point, Contender contender, boolean checkToken, String name, int warmup,
      int events) throws Exception {
    String input = name + "-in";
    String sent = name + "-sent";
    String failed = name + "-failed";
    String deadLetter = name + "-dlq";
    kafka.createTopics(point.partitions(), input);
    kafka.createTopics(RESULT_PARTITIONS, sent);
    kafka.createTopics(1, failed, deadLetter);
    createLedgerTopic(failed, input);
    int pacedCapacity = (int) Math.max(200, Math.ceil(options.maxPacedRate() * options.pacedSeconds()));
    int first = warmup;
    int pacedFirst = warmup + events;
    int capacity = pacedFirst + pacedCapacity;
    XcSimulator sim = startSimulator(point, checkToken, capacity);
    List<BenchProcess> instances = new ArrayList<>();
    try (ResultCollector results = ResultCollector.start(kafka.bootstrap(), sent, failed, capacity, pacedFirst);
        LoadGenerator load = new LoadGenerator(kafka.bootstrap(), input, capacity)) {
      for (int i = 0; i < point.instances(); i++) {
        instances.add(start(point, contender, name, i, input, sent, failed, deadLetter, sim));
      }
      awaitStarted(point, contender, name, input, instances);
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
            heapPeak, heapAfterGc, rss, rate, paced, lat.callP50(), lat.callP99(), lat.e2eP50(), lat.e2eP99(), lat.addedP50(),
            lat.addedP99(), lat.intakeP50(), lat.intakeP99(), lat.workP50(), lat.workP99(), lat.publishP50(), lat.publishP99(),
            results.failed(), results.duplicates());
      }
    } finally {
      cleanUp(instances, sim, input, sent, failed, deadLetter, failed + "-ledger");
    }
  }

  /**
   * A cold comparison run (docs/benchmarks.md, "Peers"): a backlog of {@code events} is on a fresh
   * input topic before {@code contender}'s fresh JVM starts, with no warm-up; events per second from
   * its first result to its last, CPU of the whole process from its launch to its last result. The
   * simulator checks no token (the peers send none).
   */
  PeerRun runCold(BenchPoint point, Contender contender, String name, int events, int repeat) throws Exception {
    String input = name + "-in";
    String sent = name + "-sent";
    String failed = name + "-failed";
    String deadLetter = name + "-dlq";
    kafka.createTopics(point.partitions(), input);
    kafka.createTopics(RESULT_PARTITIONS, sent);
    kafka.createTopics(1, failed, deadLetter);
    createLedgerTopic(failed, input);
    XcSimulator sim = startSimulator(point, false, events);
    List<BenchProcess> instances = new ArrayList<>();
    try (ResultCollector results = ResultCollector.start(kafka.bootstrap(), sent, failed, events, events);
        LoadGenerator load = new LoadGenerator(kafka.bootstrap(), input, events)) {
      load.backlog(0, events); // on the topic, acknowledged, before the process exists
      long launchMs = System.currentTimeMillis();
      for (int i = 0; i < point.instances(); i++) {
        instances.add(start(point, contender, name, i, input, sent, failed, deadLetter, sim));
      }
      try (Sampler sampler = Sampler.start(instances, harness)) {
        double littleSeconds = 3.0 * events / Math.min(point.littleBound(), 10_000);
        await(results, events, Duration.ofSeconds(Math.max(180, (long) littleSeconds)), instances, "cold backlog");
        double rss = instances.stream().mapToDouble(BenchProcess::peakRssMiB).max().orElse(Double.NaN);
        double heapPeak = instances.stream().mapToDouble(p -> p.heapMiB()[0]).max().orElse(Double.NaN);
        double heapAfterGc = instances.stream().mapToDouble(p -> p.heapMiB()[1]).max().orElse(Double.NaN);
        Stats ts = Stats.of(results.timestamps(0, events));
        double first = ts.min();
        double last = ts.max();
        double rate = last > first ? events * 1000.0 / (last - first) : Double.NaN;
        Window window = Window.of(results.timestamps(0, events));
        double cpuPer1000 = sampler.workerCpuAt(last) * 1000.0 / events;
        double windowCpuPer1000 = sampler.workerCpuBetween(window.fromMs, window.toMs) * 1000.0 / window.events;
        double harnessPer1000 = sampler.harnessCpuBetween(first, last) * 1000.0 / events;
        Stats calls = Stats.of(callMillis(sim).values().stream().mapToDouble(Double::doubleValue).toArray());
        double nan = Double.NaN;
        Measurement m = new Measurement(events, rate, calls.percentile(50), calls.percentile(99), calls.mean(),
            sim.peakConcurrent(), cpuPer1000, harnessPer1000, heapPeak, heapAfterGc, rss, nan, 0, nan, nan, nan, nan,
            nan, nan, nan, nan, nan, nan, nan, nan, results.failed(), results.duplicates());
        return new PeerRun(contender.name(), repeat, m, (first - launchMs) / 1000.0, window.rate(), windowCpuPer1000);
      }
    } finally {
      cleanUp(instances, sim, input, sent, failed, deadLetter, failed + "-ledger");
    }
  }

  private XcSimulator startSimulator(BenchPoint point, boolean checkToken, int capacity) throws Exception {
    return Blocking.await(XcSimulator.start(vertx, new SimulatorOptions()
        .latency(Duration.ofMillis(point.latencyMs()), Duration.ofMillis(point.latencyMs()))
        .acceptedToken(checkToken ? TOKEN : null).magicEmails(false).callHistoryLimit(capacity + 1000)));
  }

  private void cleanUp(List<BenchProcess> instances, XcSimulator sim, String... topics) throws Exception {
    for (BenchProcess p : instances) {
      p.close();
    }
    Blocking.await(sim.close());
    kafka.admin().deleteTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
  }

  /**
   * Starts one instance: the raw pipe when {@code contender} is null, else the worker or a peer with
   * the environment keys they share (the worker gets its own on top: a token, a dead-letter topic, its
   * HTTP port, {@code --env}).
   */
  private BenchProcess start(BenchPoint point, Contender contender, String name, int instance, String input,
      String sent, String failed, String deadLetter, XcSimulator sim) throws IOException {
    Path log = logOf(name, instance);
    if (contender == null) {
      return BenchProcess.rawPipe(options.workerJvmOptions(),
          List.of(kafka.bootstrap(), name, input, sent, BenchProcess.pauseFile(log).toString()), log);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
    env.put("KAFKA_GROUP_ID", name);
    env.put("TOPIC_INPUT", input);
    env.put("TOPIC_SENT", sent);
    env.put("TOPIC_FAILED", failed);
    env.put("XC_ENDPOINT_URL", sim.url());
    env.put("MAX_IN_FLIGHT", Integer.toString(point.maxInFlight()));
    if (!contender.isWorker()) {
      return BenchProcess.peer(contender.jar(), contender.jvmOptions(), env, log);
    }
    int port = freePort();
    env.put("TOPIC_DEAD_LETTER", deadLetter);
    env.put("TOPIC_LEDGER", failed + "-ledger"); // each point its own ledger (made beforehand): points reuse event ids
    env.put("XC_API_TOKEN", TOKEN);
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("LOG_FORMAT", "text");
    env.putAll(options.workerEnv());
    return BenchProcess.worker(options.projectDir(), contender.jar(), contender.jvmOptions(), env, port, log);
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

  /**
   * Workers: /health/ready answers 200. The pipe: it has printed that it owns partitions. Peers, which
   * have neither: their consumer group owns every partition of the input topic.
   */
  private void awaitStarted(BenchPoint point, Contender contender, String group, String input,
      List<BenchProcess> instances) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (BenchProcess p : instances) {
      while (!(contender == null ? p.logged(RawKafkaPipe.ASSIGNED)
          : contender.isWorker() ? p.ready() : groupOwnsAll(group, input, point.partitions()))) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw failure(instances, p.isAlive() ? "not ready after " + READY_TIMEOUT.getSeconds() + " s" : "exited");
        }
        Thread.sleep(100);
      }
    }
  }

  /** Whether the members of {@code group} are assigned all {@code partitions} of {@code topic}. */
  private boolean groupOwnsAll(String group, String topic, int partitions) throws InterruptedException {
    try {
      ConsumerGroupDescription d = kafka.admin().describeConsumerGroups(List.of(group)).all()
          .get(5, TimeUnit.SECONDS).get(group);
      return d != null && d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
          .filter(tp -> tp.topic().equals(topic)).distinct().count() == partitions;
    } catch (ExecutionException | TimeoutException e) {
      return false; // not known yet
    }
  }

  static void await(ResultCollector results, int total, Duration timeout, List<BenchProcess> instances,
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
}
