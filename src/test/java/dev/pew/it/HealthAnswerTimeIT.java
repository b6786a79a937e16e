package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.WorkerVerticle;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaProcess;
import dev.pew.testing.OpsProbe;
import dev.pew.testing.Stats;
import dev.pew.testing.WorkerHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's promise "health answers within 100 ms whatever the state of Kafka or the API",
 * measured from the client's side: with the broker stopped (a Kafka check takes its full timeout
 * then) and with every API call hanging, {@code /health/live} keeps answering 200 and
 * {@code /health/ready} 503, each within 100 ms, also while a Kafka check is in progress. And the
 * endpoints do not run on the worker's event loop: while it is busy, health and {@code /metrics}
 * still answer at once.
 */
@ExtendWith(VertxExtension.class)
class HealthAnswerTimeIT {

  private static final long BOUND_MS = 100;
  /** Longer than one Kafka check round with the broker down (2 s interval + 3 s timeout). */
  private static final Duration WINDOW = Duration.ofSeconds(7);

  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void answersWithin100msWhileTheBrokerIsDown(Vertx vertx) {
    try (KafkaProcess broker = KafkaProcess.start(dir);
        WorkerHarness h = WorkerHarness.start(vertx, 2, new SimulatorOptions(), broker.bootstrapServers())) {
      h.backlog("bd", 20);
      WorkerVerticle worker = h.deploy(h.config().build());
      OpsProbe ops = new OpsProbe(worker.opsPort());
      h.awaitResults(20, Duration.ofSeconds(30));
      Samples s = new Samples(ops);
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> s.take().ready().status() == 200);

      broker.stop();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> s.take().ready().status() == 503);
      List<Pair> down = s.during(WINDOW);

      assertThat(down).allSatisfy(p -> {
        assertThat(p.live().status()).as(p.live().body()).isEqualTo(200);
        assertThat(p.ready().status()).as(p.ready().body()).isEqualTo(503);
        assertThat(p.ready().answer().check("kafka")).as(p.ready().body()).isEqualTo("DOWN");
      });
      assertThat(down).as("some answers came while a Kafka check was waiting for the stopped broker")
          .anyMatch(p -> p.ready().answer().checks().get("kafka").path("data").has("checkRunningMs"));
      s.assertAllWithinBound("broker down");
      s.report("broker down");
    }
  }

  @Test
  @Timeout(120)
  void answersWithin100msWhileEveryApiCallHangs(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      int n = 12;
      for (int i = 0; i < n; i++) {
        h.sim.hang("hang" + i + "@example.com");
      }
      h.backlog("hang", n);
      WorkerVerticle worker = h.deploy(h.config().with(REQUEST_TIMEOUT_MS, 1500).with(MAX_IN_FLIGHT, 8).build());
      OpsProbe ops = new OpsProbe(worker.opsPort());
      Samples s = new Samples(ops);

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> h.sim.concurrent() > 0);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        Pair p = s.take();
        return p.ready().status() == 503 && "OUTAGE".equals(p.ready().answer().checks().get("api").path("data").path("holding").asText());
      });
      List<Pair> held = s.during(WINDOW);

      assertThat(held).allSatisfy(p -> {
        assertThat(p.live().status()).as(p.live().body()).isEqualTo(200);
        assertThat(p.ready().status()).as(p.ready().body()).isEqualTo(503);
        assertThat(p.ready().answer().check("api")).as(p.ready().body()).isEqualTo("DOWN");
        assertThat(p.ready().answer().check("kafka")).as(p.ready().body()).isEqualTo("UP");
      });
      assertThat(h.sim.concurrent()).as("the probe is hanging right now").isPositive();
      assertThat(h.kafka.count(h.failed)).as("holding fails no event").isZero();
      s.assertAllWithinBound("API hanging");
      s.report("API hanging");
    }
  }

  @Test
  @Timeout(60)
  void answersAndScrapesWithin100msWhileTheWorkerEventLoopIsBusy(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      WorkerVerticle worker = h.deploy(h.config().build(), new WorkerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      OpsProbe ops = new OpsProbe(worker.opsPort());
      Samples s = new Samples(ops);
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> s.take().ready().status() == 200);
      ops.metrics();

      // The worker's own event loop (the one that dispatches calls) is blocked for 1.9 s, asleep so
      // that the test burns no core of its own (Vert.x warns about a blocked loop from 2 s).
      Field field = VerticleBase.class.getDeclaredField("context");
      field.setAccessible(true);
      Context workerLoop = (Context) field.get(worker);
      CountDownLatch busy = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      workerLoop.runOnContext(v -> {
        busy.countDown();
        try {
          Thread.sleep(1900);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.set(true);
      });
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      List<Double> scrapes = new ArrayList<>();
      List<Pair> whileBusy = new ArrayList<>();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (done.get()) {
          return true;
        }
        whileBusy.add(s.take());
        long start = System.nanoTime();
        assertThat(ops.get("/metrics").status()).isEqualTo(200);
        scrapes.add((System.nanoTime() - start) / 1e6);
        return false;
      });

      assertThat(whileBusy).as("answers taken while the worker's event loop was busy").hasSizeGreaterThan(5);
      assertThat(whileBusy).allSatisfy(p -> assertThat(p.ready().status()).as(p.ready().body()).isEqualTo(200));
      assertThat(whileBusy).as("the heartbeat waits for the busy loop")
          .anyMatch(p -> p.live().answer().checks().get("event-loop").path("data").path("checkedAgoMs").asLong() >= 1000);
      // Had the scrape waited for the blocked loop, it would have taken up to 1.9 s.
      assertThat(scrapes).as("/metrics answer times (ms) while the worker's event loop was busy").allMatch(ms -> ms < 500);
      System.out.printf(Locale.ROOT, "worker event loop busy: /metrics %d scrapes, max %.1f ms%n", scrapes.size(),
          scrapes.stream().mapToDouble(Double::doubleValue).max().orElse(0));
      s.assertAllWithinBound("worker event loop busy");
      s.report("worker event loop busy");
    }
  }

  /** One answer and how long it took, measured around the whole request. */
  record Timed(OpsProbe.Answer answer, double millis, long atNanos) {
    int status() {
      return answer.status();
    }

    String body() {
      return answer.body();
    }
  }

  /** A liveness and a readiness answer taken one after the other. */
  record Pair(Timed live, Timed ready) {}

  /** Every answer taken, warm-up included: the bound holds for all of them. */
  private static final class Samples {
    private final OpsProbe ops;
    private final List<Pair> all = new ArrayList<>();

    Samples(OpsProbe ops) {
      this.ops = ops;
      // The test's HTTP client loads its classes and opens its connection here, outside the measurement.
      ops.live();
      ops.ready();
    }

    Pair take() {
      Pair p = new Pair(timed("/health/live"), timed("/health/ready"));
      all.add(p);
      return p;
    }

    /** Answers every 100 ms for {@code window}. */
    List<Pair> during(Duration window) {
      List<Pair> taken = new ArrayList<>();
      long end = System.nanoTime() + window.toNanos();
      await().atMost(window.plusSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
        taken.add(take());
        return System.nanoTime() >= end;
      });
      return taken;
    }

    private Timed timed(String path) {
      long start = System.nanoTime();
      OpsProbe.Answer a = ops.get(path);
      return new Timed(a, (System.nanoTime() - start) / 1e6, start);
    }

    /**
     * Every answer within {@link #BOUND_MS}, but for machine hiccups: on a shared 2-core build
     * machine the test JVM (which also runs the worker) is now and then not scheduled for a few
     * hundred milliseconds, so up to 1 % of the answers (at least one) may take longer, never 1 s.
     * (Readiness used to ask Kafka on each request: every answer took 3 s with the broker down.)
     */
    void assertAllWithinBound(String what) {
      List<Timed> answers = all.stream().flatMap(p -> Stream.of(p.live(), p.ready())).toList();
      List<Timed> over = answers.stream().filter(t -> t.millis() >= BOUND_MS).toList();
      String overText = over.stream().map(t -> String.format(Locale.ROOT, "%.0f ms (%s, %.1f s into the test)", t.millis(),
          t.body().contains("intake-thread") ? "live" : "ready", (t.atNanos() - answers.get(0).atNanos()) / 1e9)).toList().toString();
      System.out.printf(Locale.ROOT, "%s: %d of %d answers at or over %d ms %s%n", what, over.size(), answers.size(), BOUND_MS,
          over.isEmpty() ? "" : overText);
      assertThat(over.size()).as(what + ": answers at or over " + BOUND_MS + " ms: " + overText)
          .isLessThanOrEqualTo(Math.max(1, answers.size() / 100));
      assertThat(over).as(what + ": answers over 1 s").allSatisfy(t -> assertThat(t.millis()).isLessThan(1000));
    }

    void report(String what) {
      for (String path : List.of("live", "ready")) {
        Stats st = Stats.of(all.stream().mapToDouble(p -> (path.equals("live") ? p.live() : p.ready()).millis()).toArray());
        System.out.printf(Locale.ROOT, "%s: /health/%s %d answers, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            what, path, st.count(), st.median(), st.percentile(99), st.max());
      }
    }
  }
}
