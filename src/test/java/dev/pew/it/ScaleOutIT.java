package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.pew.WorkerVerticle;
import dev.pew.config.WorkerConfig;
import dev.pew.event.ResultEvent;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.LogCapture;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Graceful rebalances repeat nothing, under either group protocol: a second instance joins
 * mid-backlog, then the first leaves; every input has exactly one result and the API saw exactly
 * one call per email. The hand-over times are printed (see the README's "Group protocol").
 */
@ExtendWith(VertxExtension.class)
class ScaleOutIT {

  private static final int PARTITIONS = 6;

  @ParameterizedTest(name = "group.protocol={0}")
  @EnumSource(GroupProtocol.class)
  void joinAndGracefulLeaveMidBacklogCallEachEmailExactlyOnce(GroupProtocol protocol, Vertx vertx) {
    // Slow enough that partitions have calls in flight when they are revoked.
    SimulatorOptions latency = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(300));
    try (WorkerHarness h = WorkerHarness.start(vertx, PARTITIONS, latency);
        LogCapture intakeLog = LogCapture.ofPackage("dev.pew.intake")) {
      h.groupProtocol(protocol);
      int n = 900;
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String email = "scale" + i + "@example.com";
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
            KafkaTestClient.bytes("{\"eventId\":\"e" + i + "\",\"email\":\"" + email + "\"}")));
      }
      h.kafka.sendAll(records);
      WorkerConfig config = h.config().with(MAX_IN_FLIGHT, 12).with(MAX_BUFFERED, 12).build();

      WorkerMetrics firstMetrics = new WorkerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      long t0 = System.nanoTime();
      WorkerVerticle first = h.deploy(config, firstMetrics);
      awaitOwned(first, PARTITIONS);
      long firstOwnsAll = millisSince(t0);
      h.awaitResults(200, Duration.ofSeconds(60));

      long joinStart = System.nanoTime();
      WorkerVerticle second = h.deploy(config);
      awaitOwnedAtLeast(second, 1);
      long secondOwnsSome = millisSince(joinStart);
      awaitOwned(first, PARTITIONS - second.status().assignedPartitions());
      long joinSettled = millisSince(joinStart);
      int secondShare = second.status().assignedPartitions();
      h.awaitResults(500, Duration.ofSeconds(60));
      assertThat(second.status().assignedPartitions()).as("the second instance took partitions").isPositive();
      assertThat(h.groupType().name()).as("the group's protocol on the broker").isEqualTo(protocol.name());

      long leaveStart = System.nanoTime();
      h.undeploy(first);
      long firstStopped = millisSince(leaveStart);
      awaitOwned(second, PARTITIONS);
      long secondOwnsAll = millisSince(leaveStart);
      // The hand-overs did have calls in flight to wait for (else this test would prove little).
      assertThat(firstMetrics.registry().counter("pew.handover.drained").count()).isPositive();
      h.awaitResults(n, Duration.ofSeconds(90));
      h.awaitAllCommitted(Duration.ofSeconds(30));
      System.out.printf(java.util.Locale.ROOT, "ScaleOutIT group.protocol=%s: first instance owned all %d partitions %d ms after deploy; "
          + "join: the second owned a partition after %d ms, the assignment settled (%d + %d) after %d ms; "
          + "leave: the first stopped (drain, commit, leave) in %d ms, the second owned all after %d ms; "
          + "records drained at hand-overs %.0f; whole test %d ms%n",
          protocol, PARTITIONS, firstOwnsAll, secondOwnsSome, PARTITIONS - secondShare, secondShare, joinSettled,
          firstStopped, secondOwnsAll, firstMetrics.registry().counter("pew.handover.drained").count(), millisSince(t0));

      List<ResultEvent> results = h.results(h.sent);
      assertThat(h.kafka.count(h.failed)).isZero();
      Map<String, Long> perEvent = results.stream().collect(Collectors.groupingBy(ResultEvent::eventId, Collectors.counting()));
      assertThat(perEvent).hasSize(n);
      assertThat(perEvent.values()).allMatch(c -> c == 1L);
      Map<String, Long> calls = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.counting()));
      assertThat(calls).hasSize(n);
      assertThat(calls.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
      assertThat(results.stream().map(ResultEvent::eventId).collect(Collectors.toMap(Function.identity(), e -> 1))).hasSize(n);
      // The new owner read the committed offsets (and their finished-offset hints) in its assign
      // callback; no partition was lost, every revoke committed.
      assertThat(intakeLog.messages(Level.WARN)).as("intake warnings").isEmpty();
    }
  }

  private static void awaitOwned(WorkerVerticle worker, int partitions) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> worker.status().assignedPartitions() == partitions);
  }

  private static void awaitOwnedAtLeast(WorkerVerticle worker, int partitions) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> worker.status().assignedPartitions() >= partitions);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
