package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * No customer gets a second email: the ledger of sends across a kill -9, redeliveries (in one
 * instance, after a graceful hand-over, after a crash), the window turned off, failures called
 * again, and garbage in the ledger topic. The simulator's log counts the calls.
 */
@ExtendWith(VertxExtension.class)
class LedgerIT {

  @TempDir Path dir;

  /** {@code n} events {@code <prefix><i>}, each delivered {@code copies} times in a row (same key, value, id). */
  private static void deliver(WorkerHarness h, String prefix, int n, int copies) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String email = prefix + i + "@example.com";
      for (int c = 0; c < copies; c++) {
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
            KafkaTestClient.bytes("{\"eventId\":\"" + prefix + i + "\",\"email\":\"" + email + "\"}")));
      }
    }
    h.kafka.sendAll(records);
  }

  private static Map<String, Long> callsPerEmail(WorkerHarness h) {
    return h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.counting()));
  }

  private static Map<String, List<ResultEvent>> sentById(WorkerHarness h) {
    return h.results(h.sent).stream().collect(Collectors.groupingBy(ResultEvent::eventId));
  }

  @Test
  void afterKillMinus9TheNextOwnerRepeatsAtMostTheCallsInFlight(Vertx vertx) {
    int n = 3000;
    int maxInFlight = 32;
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(200));
    try (WorkerHarness h = WorkerHarness.start(vertx, 3, slow)) {
      h.backlog("k", n);
      Map<String, String> env = h.processEnv();
      env.put("MAX_IN_FLIGHT", Integer.toString(maxInFlight));
      int inFlightAtKill;
      long callsAtKill;
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("killed.log"))) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> h.sim.totalCalls() >= 1000);
        inFlightAtKill = h.sim.concurrent();
        callsAtKill = h.sim.totalCalls();
        worker.kill();
        worker.waitFor(Duration.ofSeconds(10));
      }
      long resultsAtKill = h.kafka.count(h.sent, h.failed);
      assertThat(resultsAtKill).as("mid-backlog").isLessThan(n);

      h.deploy(h.config().with(MAX_IN_FLIGHT, maxInFlight).build());
      h.awaitResults(n, Duration.ofSeconds(120));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sentById(h).size() == n);

      Map<String, Long> calls = callsPerEmail(h);
      long repeated = calls.values().stream().mapToLong(c -> c - 1).sum();
      Map<String, List<ResultEvent>> sent = sentById(h);
      // Records the victim had sent and recorded but not committed: answered by the next owner as
      // duplicates of themselves (attempts 0), never as a second result of a call.
      long selfAnswered = sent.values().stream().flatMap(List::stream).filter(r -> r.source().equals(r.duplicateOf())).count();
      System.out.printf("MEASURED LedgerIT kill -9: calls before the kill %d, in flight at the kill %d (MAX_IN_FLIGHT %d), "
          + "results before the kill %d, repeated calls %d, answered as duplicates of themselves %d%n", callsAtKill,
          inFlightAtKill, maxInFlight, resultsAtKill, repeated, selfAnswered);
      List<String> overclaimed = sent.entrySet().stream().filter(e -> e.getValue().stream()
          .filter(r -> r.duplicateOf() == null).count() > calls.getOrDefault(e.getKey() + "@example.com", 0L))
          .map(e -> e.getKey() + " " + e.getValue()).toList();
      assertThat(overclaimed).as("event ids with more results that claim a call than calls made").isEmpty();
      assertThat(sent.values().stream().flatMap(List::stream).filter(r -> r.duplicateOf() != null))
          .as("answered without a call").allSatisfy(r -> assertThat(r.attempts()).isZero());
      assertThat(repeated).as("repeated calls: at most the calls in flight (MAX_IN_FLIGHT bounds calls plus unrecorded sends)")
          .isLessThanOrEqualTo(maxInFlight);
      assertThat(sentById(h)).as("nothing lost").hasSize(n);
      assertThat(h.kafka.count(h.failed)).isZero();
    }
  }

  @Test
  void anEventDeliveredThreeTimesIsCalledOnceAndAnsweredThreeTimes(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      int n = 100;
      deliver(h, "t", n, 3); // the copies follow each other: two of them are often in flight together
      WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 16).build(), metrics);
      h.awaitResults(3 * n, Duration.ofSeconds(60));
      var recordTimer = metrics.registry().timer("pew.ledger.record.duration");
      System.out.printf("MEASURED LedgerIT ledger record: %d sends, mean %.1f ms, max %.1f ms%n", recordTimer.count(),
          recordTimer.mean(java.util.concurrent.TimeUnit.MILLISECONDS), recordTimer.max(java.util.concurrent.TimeUnit.MILLISECONDS));
      h.awaitAllCommitted(Duration.ofSeconds(30));

      assertThat(callsPerEmail(h)).hasSize(n).allSatisfy((email, calls) -> assertThat(calls).as(email).isEqualTo(1));
      Map<String, List<ResultEvent>> byId = sentById(h);
      assertThat(byId).hasSize(n).allSatisfy((id, results) -> {
        assertThat(results).hasSize(3).allMatch(r -> r.status() == Status.SENT);
        List<ResultEvent> called = results.stream().filter(r -> r.duplicateOf() == null).toList();
        assertThat(called).singleElement().satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
        results.stream().filter(r -> r.duplicateOf() != null).forEach(d -> {
          assertThat(d.attempts()).isZero();
          assertThat(d.httpStatus()).isNull();
          assertThat(d.duplicateOf()).isEqualTo(called.get(0).source());
        });
      });
      assertThat(h.kafka.count(h.failed)).isZero();
      assertThat(worker.status().ledgerEntries()).isEqualTo(n);
    }
  }

  @Test
  void aRedeliveryAfterAGracefulHandOverIsAnsweredByTheNextOwnerWithoutACall(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3)) {
      deliver(h, "g", 60, 1);
      WorkerVerticle first = h.deploy(h.config().build());
      h.awaitResults(60, Duration.ofSeconds(60));
      h.undeploy(first);

      deliver(h, "g", 60, 1); // the upstream replays them all
      WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
      h.deploy(h.config().build(), metrics);
      h.awaitResults(120, Duration.ofSeconds(60));

      assertThat(callsPerEmail(h).values()).hasSize(60).allMatch(c -> c == 1);
      assertThat(sentById(h).values()).allSatisfy(r -> assertThat(r).hasSize(2));
      assertThat(metrics.registry().counter("pew.duplicates.answered").count()).isEqualTo(60);
    }
  }

  @Test
  void aRedeliveryAfterKillMinus9IsAnsweredByTheNextOwnerWithoutACall(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3)) {
      deliver(h, "c", 60, 1);
      try (WorkerProcess worker = WorkerProcess.start(h.processEnv(), dir.resolve("crashed.log"))) {
        h.awaitResults(60, Duration.ofSeconds(60));
        h.awaitAllCommitted(Duration.ofSeconds(30));
        worker.kill();
        worker.waitFor(Duration.ofSeconds(10));
      }
      deliver(h, "c", 60, 1);
      h.deploy(h.config().build());
      h.awaitResults(120, Duration.ofSeconds(90));

      assertThat(callsPerEmail(h).values()).hasSize(60).allMatch(c -> c == 1);
      assertThat(sentById(h).values()).allSatisfy(r ->
          assertThat(r).filteredOn(e -> e.duplicateOf() != null).hasSize(1));
    }
  }

  @Test
  void withTheWindowOffARedeliveryIsCalledAgain(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      deliver(h, "w", 20, 1);
      h.deploy(h.config().with(DEDUP_WINDOW_MS, 0).build());
      h.awaitResults(20, Duration.ofSeconds(60));
      deliver(h, "w", 20, 1);
      h.awaitResults(40, Duration.ofSeconds(60));

      assertThat(callsPerEmail(h).values()).hasSize(20).allMatch(c -> c == 2);
      assertThat(h.results(h.sent)).allMatch(r -> r.duplicateOf() == null);
    }
  }

  @Test
  void aFailedEventDeliveredAgainIsCalledAgain(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.sim.respond("f0@example.com", 404, 1, null);
      deliver(h, "f", 1, 1);
      h.deploy(h.config().build());
      h.awaitResults(1, Duration.ofSeconds(60));
      assertThat(h.results(h.failed)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(Status.FAILED));

      deliver(h, "f", 1, 1); // a replayed dead letter
      h.awaitResults(2, Duration.ofSeconds(60));

      assertThat(h.sim.callsFor("f0@example.com")).isEqualTo(2);
      assertThat(h.results(h.sent)).singleElement().satisfies(r -> {
        assertThat(r.duplicateOf()).isNull();
        assertThat(r.attempts()).isEqualTo(1);
      });
    }
  }

  @Test
  void garbageInTheLedgerTopicIsSkippedAndCountedAndTheWorkerCarriesOn(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      h.kafka.createTopics(2, h.ledger);
      List<ProducerRecord<byte[], byte[]>> garbage = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        garbage.add(new ProducerRecord<>(h.ledger, p, KafkaTestClient.bytes("x"), KafkaTestClient.bytes("{\"eventId\":\"x\"}")));
        garbage.add(new ProducerRecord<>(h.ledger, p, null, new byte[] {'P', 'L', 1, 0}));
        garbage.add(new ProducerRecord<>(h.ledger, p, KafkaTestClient.bytes("y"), null));
        garbage.add(new ProducerRecord<>(h.ledger, p, KafkaTestClient.bytes("z"), new byte[] {'P', 'L', 9}));
      }
      h.kafka.sendAll(garbage);
      deliver(h, "ok", 20, 1);
      WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
      h.deploy(h.config().build(), metrics);
      h.awaitResults(20, Duration.ofSeconds(60));

      assertThat(callsPerEmail(h).values()).hasSize(20).allMatch(c -> c == 1);
      Function<String, Double> skipped = reason -> metrics.registry().find("pew.ledger.records.skipped")
          .tag("reason", reason).counters().stream().mapToDouble(c -> c.count()).sum();
      assertThat(skipped.apply("foreign")).isEqualTo(4);
      assertThat(skipped.apply("malformed")).isEqualTo(4);
    }
  }
}
