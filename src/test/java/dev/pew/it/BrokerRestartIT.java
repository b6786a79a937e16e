package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaProcess;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The broker goes away mid-backlog and comes back: the worker holds, reports not-ready, recovers, loses nothing. */
@ExtendWith(VertxExtension.class)
class BrokerRestartIT {

  @TempDir
  Path dir;

  @Test
  void holdsWhileTheBrokerIsDownAndFinishesEveryEventWhenItReturns(Vertx vertx) {
    try (KafkaProcess broker = KafkaProcess.start(dir);
        WorkerHarness h = WorkerHarness.start(vertx, 3,
            new SimulatorOptions().latency(Duration.ofMillis(10), Duration.ofMillis(30)), broker.bootstrapServers())) {
      int n = 1500;
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes("k" + i),
            KafkaTestClient.bytes("{\"eventId\":\"b" + i + "\",\"email\":\"b" + i + "@example.com\"}")));
      }
      h.kafka.sendAll(records);
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 8).build());
      WebClient web = WebClient.create(vertx);
      h.awaitResults(200, Duration.ofSeconds(60));
      assertThat(readyStatus(web, worker)).isEqualTo(200);

      broker.stop();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> readyStatus(web, worker) == 503);
      assertThat(worker.status().intakeRunning()).isTrue();

      broker.resume();
      h.awaitResults(n, Duration.ofSeconds(120));
      h.awaitAllCommitted(Duration.ofSeconds(60));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> readyStatus(web, worker) == 200);

      Set<String> ids = h.results(h.sent).stream().map(ResultEvent::eventId).collect(Collectors.toSet());
      assertThat(ids).hasSize(n);
      assertThat(h.kafka.count(h.failed)).isZero();
    }
  }

  private static int readyStatus(WebClient web, WorkerVerticle worker) {
    return WorkerHarness.await(web.get(worker.opsPort(), "127.0.0.1", "/health/ready").send()).statusCode();
  }
}
