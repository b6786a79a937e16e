package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.config.WorkerConfig;
import dev.pew.event.ResultEvent;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Graceful rebalances repeat nothing: a second instance joins mid-backlog, then the first leaves;
 * every input has exactly one result and the API saw exactly one call per email.
 */
@ExtendWith(VertxExtension.class)
class ScaleOutIT {

  @Test
  void joinAndGracefulLeaveMidBacklogCallEachEmailExactlyOnce(Vertx vertx) {
    // Slow enough that partitions have calls in flight when they are revoked.
    SimulatorOptions latency = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(300));
    try (WorkerHarness h = WorkerHarness.start(vertx, 6, latency)) {
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
      WorkerVerticle first = h.deploy(config, firstMetrics);
      h.awaitResults(200, Duration.ofSeconds(60));
      WorkerVerticle second = h.deploy(config);
      h.awaitResults(500, Duration.ofSeconds(60));
      assertThat(second.assignedPartitions()).as("the second instance took partitions").isPositive();
      h.undeploy(first);
      // The hand-overs did have calls in flight to wait for (else this test would prove little).
      assertThat(firstMetrics.registry().counter("pew.handover.drained").count()).isPositive();
      h.awaitResults(n, Duration.ofSeconds(90));
      h.awaitAllCommitted(Duration.ofSeconds(30));

      List<ResultEvent> results = h.results(h.sent);
      assertThat(h.kafka.count(h.failed)).isZero();
      Map<String, Long> perEvent = results.stream().collect(Collectors.groupingBy(ResultEvent::eventId, Collectors.counting()));
      assertThat(perEvent).hasSize(n);
      assertThat(perEvent.values()).allMatch(c -> c == 1L);
      Map<String, Long> calls = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.counting()));
      assertThat(calls).hasSize(n);
      assertThat(calls.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
      assertThat(results.stream().map(ResultEvent::eventId).collect(Collectors.toMap(Function.identity(), e -> 1))).hasSize(n);
    }
  }
}
