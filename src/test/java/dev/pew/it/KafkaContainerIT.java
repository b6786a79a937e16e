package dev.pew.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.ResultEvent;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end path against Kafka in a container (the official apache/kafka image), for
 * machines with Docker; skipped cleanly where there is none (our CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(VertxExtension.class)
class KafkaContainerIT {

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @Test
  void sendsEveryEventAndFailsTheRejectedOneOnAContainerBroker(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3, new SimulatorOptions(), KAFKA.getBootstrapServers())) {
      for (int i = 0; i < 50; i++) {
        h.send("k" + i, "{\"eventId\":\"tc-" + i + "\",\"email\":\"tc" + i + "@example.com\"}");
      }
      h.send("gone", "{\"eventId\":\"tc-gone\",\"email\":\"gone+404@example.com\"}");
      h.deploy(h.config().build());
      h.awaitResults(51, Duration.ofSeconds(60));
      h.awaitAllCommitted(Duration.ofSeconds(30));
      assertThat(h.results(h.sent)).hasSize(50);
      assertThat(h.results(h.failed)).extracting(ResultEvent::eventId).containsExactly("tc-gone");
    }
  }
}
