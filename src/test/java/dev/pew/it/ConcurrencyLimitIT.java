package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.PeakSampler;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MAX_IN_FLIGHT is a hard limit, and it is also reached: the pool is not the bottleneck. */
@ExtendWith(VertxExtension.class)
class ConcurrencyLimitIT {

  @Test
  void keepsExactlyMaxInFlightCallsOutstandingAgainstASlowApi(Vertx vertx) {
    int peakUnfinished;
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(150), Duration.ofMillis(150));
    try (WorkerHarness h = WorkerHarness.start(vertx, 4, slow)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 240; i++) {
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes("k" + i),
            KafkaTestClient.bytes("{\"email\":\"slow" + i + "@example.com\"}")));
      }
      h.kafka.sendAll(records);
      // 12 is above Vert.x's default pool of 5 connections: the pool must be sized to the limit.
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 12).with(MAX_BUFFERED, 24).build());
      try (PeakSampler unfinished = new PeakSampler(worker.status()::unfinished)) {
        h.awaitResults(240, Duration.ofSeconds(60));
        peakUnfinished = unfinished.peak();
      }

      assertThat(h.sim.peakConcurrent()).isEqualTo(12);
      // Memory stays bounded by MAX_BUFFERED plus one poll (max.poll.records follows MAX_BUFFERED),
      // although the backlog is ten times larger.
      assertThat(peakUnfinished).isPositive().isLessThanOrEqualTo(24 + 24);
      assertThat(h.kafka.count(h.sent)).isEqualTo(240);
    }
  }
}
