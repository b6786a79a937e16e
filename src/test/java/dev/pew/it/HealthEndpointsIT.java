package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.testing.OpsProbe;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /health/live} and {@code /health/ready} as a load balancer sees them: 200 with JSON naming
 * each check when all is well; ready turns 503 while the worker holds (API outage, refused
 * credential) and back to 200 when it resumes; ready is 503 (and live stays 200) when Kafka cannot be
 * reached.
 */
@ExtendWith(VertxExtension.class)
class HealthEndpointsIT {

  private static final List<String> READY_CHECKS = List.of("kafka", "intake", "results", "api", "fleet");


  @Test
  void liveAndReadyAnswer200NamingTheirChecksWhenAllIsWell(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      h.backlog("well", 5);
      WorkerVerticle worker = h.deploy(h.config().build());
      OpsProbe ops = new OpsProbe(worker.opsPort());
      h.awaitResults(5, Duration.ofSeconds(20));

      OpsProbe.Answer live = ops.live();
      assertThat(live.status()).as(live.body()).isEqualTo(200);
      assertThat(live.json().path("status").asText()).isEqualTo("UP");
      assertThat(live.checks()).containsOnlyKeys("event-loop", "intake-thread");
      assertThat(live.checks().values()).allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("UP"));

      await().atMost(Duration.ofSeconds(10)).until(() -> ops.ready().status() == 200);
      OpsProbe.Answer ready = ops.ready();
      assertThat(ready.json().path("status").asText()).as(ready.body()).isEqualTo("UP");
      assertThat(ready.checks()).containsOnlyKeys(READY_CHECKS);
      READY_CHECKS.forEach(id -> assertThat(ready.check(id)).as(id).isEqualTo("UP"));
      assertThat(ready.checks().get("kafka").path("data").path("brokers").asInt()).isEqualTo(1);
      assertThat(ready.checks().get("intake").path("data").path("assignedPartitions").asInt()).isEqualTo(2);
      assertThat(ready.checks().get("api").path("data").path("inFlight").asInt()).isZero();
      assertThat(ready.checks().values()).as("each check says how old its result is")
          .allSatisfy(c -> assertThat(c.path("data").path("checkedAgoMs").isNumber()).as(c.toString()).isTrue());
      assertThat(ready.checks().get("kafka").path("data").path("checkedAgoMs").asLong()).isLessThanOrEqualTo(10_000);
      assertThat(live.checks().values()).allSatisfy(c -> assertThat(c.path("data").path("checkedAgoMs").isNumber()).isTrue());
    }
  }

  @Test
  void readyIs503WhileHoldingForAnApiOutageAndBack200WhenItEnds(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      h.sim.down(503, null);
      int n = 30;
      h.backlog("outage", n);
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 4).build());
      OpsProbe ops = new OpsProbe(worker.opsPort());

      await().atMost(Duration.ofSeconds(15)).until(() -> ops.ready().status() == 503
          && "OUTAGE".equals(ops.ready().checks().get("api").path("data").path("holding").asText()));
      OpsProbe.Answer ready = ops.ready();
      assertThat(ready.check("api")).as(ready.body()).isEqualTo("DOWN");
      assertThat(ready.check("kafka")).as(ready.body()).isEqualTo("UP");
      assertThat(ready.check("intake")).as(ready.body()).isEqualTo("UP");
      assertThat(ops.live().status()).as("holding is not dead: no restart wanted").isEqualTo(200);
      assertThat(h.kafka.count(h.failed)).as("an outage fails no event").isZero();

      h.sim.up();
      h.awaitResults(n, Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> ops.ready().status() == 200);
      assertThat(ops.ready().check("api")).isEqualTo("UP");
      assertThat(h.results(h.sent)).hasSize(n).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.SENT));
    }
  }

  @Test
  void readyIs503WhileTheApiRefusesTheTokenAndBack200OnceItIsAccepted(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.sim.acceptToken("the-token-the-api-wants");
      int n = 10;
      h.backlog("refused", n);
      WorkerVerticle worker = h.deploy(h.config().with(XC_API_TOKEN, "a-stale-token").build());
      OpsProbe ops = new OpsProbe(worker.opsPort());

      await().atMost(Duration.ofSeconds(15)).until(() -> ops.ready().status() == 503
          && "CREDENTIALS".equals(ops.ready().checks().get("api").path("data").path("holding").asText()));
      assertThat(ops.live().status()).isEqualTo(200);

      h.sim.acceptToken("a-stale-token");
      h.awaitResults(n, Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> ops.ready().status() == 200);
      List<ResultEvent> sent = h.results(h.sent);
      assertThat(sent).hasSize(n);
      assertThat(h.kafka.count(h.failed)).as("a refused credential fails no event by default").isZero();
    }
  }

  @Test
  void readyIs503AndLiveStays200WhenKafkaIsUnreachable(Vertx vertx) {
    int closed = OpsProbe.freePort();
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      WorkerVerticle worker = h.deploy(h.config().with(KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:" + closed).build());
      OpsProbe ops = new OpsProbe(worker.opsPort());

      OpsProbe.Answer ready = ops.ready();
      assertThat(ready.status()).as(ready.body()).isEqualTo(503);
      assertThat(ready.checks()).containsOnlyKeys(READY_CHECKS);
      assertThat(ready.check("kafka")).as(ready.body()).isEqualTo("DOWN");
      assertThat(ready.check("intake")).as(ready.body()).isEqualTo("DOWN");
      assertThat(ready.checks().get("intake").path("data").path("inGroup").asBoolean()).isFalse();
      OpsProbe.Answer live = ops.live();
      assertThat(live.status()).as("a broker outage is not a reason to restart the worker: " + live.body()).isEqualTo(200);
      assertThat(h.sim.totalCalls()).isZero();
    }
  }
}
