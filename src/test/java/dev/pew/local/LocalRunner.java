package dev.pew.local;

import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaBroker;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.PrometheusScrape;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The steps of one local run: embedded broker and topics, XC simulator, the worker as its own
 * process, a batch of sample events, progress until every input has its result, then the worker's
 * health and metrics, SIGTERM, and the summary read back from the topics. Everything it starts is
 * registered with the {@link Cleanup} it is given, which the caller closes.
 *
 * <p>Not thread-safe: one run, on one thread.
 */
final class LocalRunner {

  private static final long SHUTDOWN_GRACE_MS = 10_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
  private static final List<String> METRICS_SHOWN = List.of("pew_results_total", "pew_calls_total", "pew_events_skipped_total");

  private final LocalRunOptions options;
  private final PrintStream out;
  private final Cleanup cleanup;
  private final LocalTopics topics = LocalTopics.defaults();
  private final long startNanos = System.nanoTime();
  /** Where this JVM's own log lines (broker, simulator) go, null when they stay on the console. */
  private final Path inJvmLog;

  LocalRunner(LocalRunOptions options, PrintStream out, Cleanup cleanup, Path inJvmLog) {
    this.options = options.validate();
    this.out = out;
    this.cleanup = cleanup;
    this.inJvmLog = inJvmLog;
  }

  LocalRunSummary run() throws Exception {
    if (!Files.isRegularFile(options.jar())) {
      throw new LocalRunException("the worker jar is missing: " + options.jar() + " (build it with mvn -DskipTests package)");
    }
    Files.createDirectories(options.outputDir());
    out.printf(Locale.ROOT, "password-email-worker local run: %d events, MAX_IN_FLIGHT %d, API latency %d-%d ms%n",
        options.events(), options.maxInFlight(), options.minLatency().toMillis(), options.maxLatency().toMillis());

    KafkaClusterTestKit broker = startBroker();
    String bootstrap = loopback(broker.bootstrapServers());
    KafkaTestClient kafka = new KafkaTestClient(bootstrap);
    cleanup.add("Kafka client", kafka, kafka::close);
    kafka.createTopics(LocalTopics.INPUT_PARTITIONS, topics.input());
    kafka.createTopics(1, topics.sent(), topics.failed(), topics.deadLetter());

    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret); // a fresh token per run, so the simulator's check means something
    String token = "local-" + HexFormat.of().formatHex(secret);
    XcSimulator sim = startSimulator(token);

    WorkerEnvironment env = WorkerEnvironment.forLocalRun(bootstrap, topics, sim.url(), token,
        options.maxInFlight(), WorkerEnvironment.freeLoopbackPort(), SHUTDOWN_GRACE_MS);
    WorkerJarProcess worker = startWorker(env);
    WorkerProbe probe = new WorkerProbe(env.httpPort());

    SampleEvents batch = SampleEvents.generate(topics.input(), options.events(), options.seed());
    ResultTally live = new ResultTally(batch.expectedOutcomes(), batch.redelivered());
    ResultWatcher watcher = ResultWatcher.start(bootstrap, List.of(topics.sent(), topics.failed()), topics.deadLetter(), live);
    cleanup.add("result watcher", watcher, watcher::close);
    long produceStart = System.nanoTime();
    Optional<Duration> cpuBefore = cpu(worker);
    kafka.sendAll(batch.records());
    out.printf(Locale.ROOT, "  produced   %d events to %s (%d partitions) in %s; waiting for the results (timeout %d s)%n",
        batch.records().size(), topics.input(), LocalTopics.INPUT_PARTITIONS, seconds(produceStart),
        options.timeout().getSeconds());

    boolean complete = awaitResults(live, batch.expectedOutcomes().size(), worker, watcher);
    WorkerProbe.Answer ready = probe.ready();
    WorkerProbe.Answer scrape = probe.metrics();
    Duration cpuWall = Duration.ofNanos(System.nanoTime() - produceStart);
    Optional<Duration> workerCpu = cpuBefore.flatMap(before -> cpu(worker).map(after -> after.minus(before)));
    List<String> metrics = WorkerProbe.metricLines(scrape, METRICS_SHOWN);
    Optional<TimeAccount> time = scrape.status() == 200
        ? TimeAccount.from(PrometheusScrape.parse(scrape.body()), workerCpu, cpuWall) : Optional.empty();
    out.println("  stopping the worker (SIGTERM, SHUTDOWN_GRACE_MS " + SHUTDOWN_GRACE_MS + ")");
    WorkerJarProcess.StopResult stop = worker.stop();
    watcher.close();

    ResultTally readBack = new ResultTally(batch.expectedOutcomes(), batch.redelivered());
    kafka.readAll(topics.sent(), topics.failed()).forEach(r -> readBack.add(r.value()));
    kafka.readAll(topics.deadLetter()).forEach(r -> readBack.addDeadLetter());
    LocalRunSummary summary = new LocalRunSummary(batch.records().size(), batch.count(SampleKind.TOMBSTONE),
        options.maxInFlight(), readBack.counts(), sim.totalCalls(), batch.expectedCalls(), sim.peakConcurrent(),
        sim.statusCounts(), ready, metrics, time, options.minLatency().plus(options.maxLatency()).dividedBy(2), stop,
        !complete, shown(worker.logFile()),
        Duration.ofNanos(System.nanoTime() - startNanos));
    return summary;
  }

  /** The worker process's CPU time so far, when the system says. */
  private static Optional<Duration> cpu(WorkerJarProcess worker) {
    return ProcessHandle.of(worker.pid()).flatMap(p -> p.info().totalCpuDuration());
  }

  private KafkaClusterTestKit startBroker() throws Exception {
    long start = System.nanoTime();
    KafkaExitGuard guard = KafkaExitGuard.install(System.err);
    cleanup.add("broker exit guard", guard, guard::release);
    KafkaClusterTestKit broker = guard.capturingShutdownHooks(() -> KafkaBroker.startCluster(Map.of()));
    Path data = Path.of(broker.nodes().baseDirectory());
    cleanup.add("embedded broker", broker, () -> {
      broker.close();
      TempFiles.deleteRecursively(data); // the test kit deletes it too; this makes sure
    });
    out.printf(Locale.ROOT, "  broker     %s, embedded KRaft single node, data in %s (deleted at the end), started in %s%n",
        loopback(broker.bootstrapServers()), data, seconds(start));
    if (inJvmLog != null) {
      out.println("             broker and simulator log: " + shown(inJvmLog));
    }
    return broker;
  }

  private XcSimulator startSimulator(String token) throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add("Vert.x", vertx, () -> await(vertx.close()));
    XcSimulator sim = await(XcSimulator.start(vertx, new SimulatorOptions()
        .latency(options.minLatency(), options.maxLatency())
        .acceptedToken(token)
        .seed(options.seed())));
    cleanup.add("XC simulator", sim, () -> await(sim.close()));
    out.printf(Locale.ROOT, "  simulator  %s (latency %d-%d ms, API token required)%n", sim.url(),
        options.minLatency().toMillis(), options.maxLatency().toMillis());
    return sim;
  }

  private WorkerJarProcess startWorker(WorkerEnvironment env) throws Exception {
    long start = System.nanoTime();
    Path log = options.outputDir().resolve("worker.log");
    WorkerJarProcess worker = WorkerJarProcess.start(options.projectDir(), env, log,
        Duration.ofMillis(env.shutdownGraceMs() + 5_000));
    cleanup.add("worker process", worker, worker::close);
    out.printf(Locale.ROOT, "  worker     %s (pid %d, HTTP_PORT %d), its log: %s%n",
        String.join(" ", WorkerJarProcess.START_COMMAND), worker.pid(), env.httpPort(), shown(log));
    if (!new WorkerProbe(env.httpPort()).awaitReady(READY_TIMEOUT, worker::isAlive)) {
      throw workerFailure(worker, worker.isAlive()
          ? "the worker is not ready after " + READY_TIMEOUT.getSeconds() + " s"
          : "the worker exited with code " + worker.exitCodeIfEnded() + " during start-up");
    }
    out.printf(Locale.ROOT, "  worker     ready (/health/ready 200) after %s%n", seconds(start));
    return worker;
  }

  /** Prints progress about once a second until every expected result is in; false on timeout. */
  private boolean awaitResults(ResultTally live, int expected, WorkerJarProcess worker, ResultWatcher watcher)
      throws InterruptedException, LocalRunException {
    ProgressLine progress = new ProgressLine(System::nanoTime, expected);
    long deadline = System.nanoTime() + options.timeout().toNanos();
    long nextLine = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (true) {
      ResultTally.Progress p = live.progress();
      boolean complete = p.missing() == 0 && p.deadLetters() >= p.failed();
      if (complete || System.nanoTime() >= nextLine) {
        out.println(progress.next(p));
        nextLine += PROGRESS_EVERY.toNanos();
      }
      if (complete) {
        return true;
      }
      if (cleanup.closed()) {
        throw new LocalRunException("interrupted");
      }
      if (!worker.isAlive()) {
        throw workerFailure(worker, "the worker exited with code " + worker.exitCodeIfEnded() + " before finishing");
      }
      if (watcher.failure() != null) {
        throw new LocalRunException("could not read the result topics: " + watcher.failure());
      }
      if (System.nanoTime() >= deadline) {
        out.println("  timed out after " + options.timeout().getSeconds() + " s: " + p.missing()
            + " result(s) missing, " + (p.failed() - Math.min(p.failed(), p.deadLetters())) + " dead-letter copies missing");
        return false;
      }
      Thread.sleep(100);
    }
  }

  private LocalRunException workerFailure(WorkerJarProcess worker, String what) {
    out.println("  " + what + "; the last lines of " + shown(worker.logFile()) + ":");
    worker.logTail(15).forEach(line -> out.println("    | " + line));
    return new LocalRunException(what + " (see " + shown(worker.logFile()) + ")");
  }

  /**
   * The test kit names its listener {@code localhost} though it binds 127.0.0.1 only; saying
   * 127.0.0.1 spares clients a first try on ::1.
   */
  private static String loopback(String bootstrap) {
    return bootstrap.replace("localhost:", "127.0.0.1:");
  }

  private String shown(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(options.projectDir()) ? options.projectDir().relativize(abs).toString() : abs.toString();
  }

  private static String seconds(long sinceNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - sinceNanos) / 1e9);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A run that could not go on; the message says why and where to look. */
  static final class LocalRunException extends Exception {
    LocalRunException(String message) {
      super(message);
    }
  }
}
