package dev.pew.it;

import dev.pew.event.ResultEvents;
import static dev.pew.config.Settings.*;
import dev.pew.config.TestConfig;
import dev.pew.kafka.KafkaClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.WorkerVerticle;
import dev.pew.config.WorkerConfig;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.OpsProbe;
import dev.pew.testing.SaslKafkaCluster;
import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker on a broker that requires SASL (PLAIN over SASL_PLAINTEXT), configured only through the
 * Kafka pass-through: with the right credentials every event ends SENT; with wrong ones the worker
 * reports not-ready and neither calls the API nor publishes anything. The broker recipe is in
 * {@link SaslKafkaCluster}.
 */
@ExtendWith(VertxExtension.class)
class KafkaSaslIT {

  private static final String WORKER = "pew-worker";
  private static final String WORKER_PASSWORD = "Sasl-Worker-Pw-4d1e";
  private static final String TESTER = "tester";
  private static final String TESTER_PASSWORD = "Sasl-Tester-Pw-90b2";

  private static SaslKafkaCluster cluster;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SaslKafkaCluster.start(Map.of(WORKER, WORKER_PASSWORD, TESTER, TESTER_PASSWORD));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void sendsEveryEventWhenConfiguredForSaslThroughTheEnvironment(Vertx vertx) {
    Topics t = Topics.create();
    int n = 20;
    produce(t.input, n, "sasl");
    XcSimulator sim = WorkerHarness.await(XcSimulator.start(vertx, new SimulatorOptions()));
    int port = OpsProbe.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
    env.put("KAFKA_SECURITY_PROTOCOL", SaslKafkaCluster.PROTOCOL);
    env.put("KAFKA_SASL_MECHANISM", SaslKafkaCluster.MECHANISM);
    env.put("KAFKA_SASL_JAAS_CONFIG", SaslKafkaCluster.clientJaas(WORKER, WORKER_PASSWORD));
    env.put("KAFKA_GROUP_ID", t.group);
    env.put("TOPIC_INPUT", t.input);
    env.put("TOPIC_SENT", t.sent);
    env.put("TOPIC_FAILED", t.failed);
    env.put("TOPIC_LEDGER", t.failed + "-ledger");
    env.put("XC_ENDPOINT_URL", sim.url());
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("STATUS_INTERVAL_MS", "0");
    env.put("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "500");
    try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("sasl.log"))) {
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(300))
          .until(() -> readAll(t.sent, t.failed).size() >= n);
      List<ResultEvent> sent = readAll(t.sent).stream().map(r -> ResultEvents.fromJson(r.value())).toList();
      assertThat(sent).hasSize(n).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.SENT));
      assertThat(sent.stream().map(ResultEvent::eventId).distinct()).hasSize(n);
      assertThat(readAll(t.failed)).isEmpty();
      assertThat(sim.totalCalls()).isEqualTo(n);

      OpsProbe ops = new OpsProbe(port);
      await().atMost(Duration.ofSeconds(10)).until(() -> ops.ready().status() == 200);
      assertThat(ops.ready().check("kafka")).isEqualTo("UP");

      worker.terminate();
      assertThat(worker.waitFor(Duration.ofSeconds(30))).as(worker.output()).isZero();
      assertThat(worker.output()).as("the SASL password never reaches the log").doesNotContain(WORKER_PASSWORD)
          .contains("sasl.jaas.config=***");
    } finally {
      WorkerHarness.await(sim.close());
    }
  }

  @Test
  void staysNotReadyAndSendsNothingWithWrongCredentials(Vertx vertx) {
    Topics t = Topics.create();
    produce(t.input, 5, "denied");
    XcSimulator sim = WorkerHarness.await(XcSimulator.start(vertx, new SimulatorOptions()));
    WorkerMetrics metrics = new WorkerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    WorkerConfig config = TestConfig.builder()
        .with(KAFKA_BOOTSTRAP_SERVERS, cluster.bootstrapServers())
        .kafka(KafkaClients.Section.COMMON, SaslKafkaCluster.saslProperties(WORKER, "not-" + WORKER_PASSWORD))
        .kafka(KafkaClients.Section.CONSUMER, Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "500"))
        .with(KAFKA_GROUP_ID, t.group)
        .with(TOPIC_INPUT, t.input)
        .with(TOPIC_SENT, t.sent)
        .with(TOPIC_FAILED, t.failed)
        .with(TOPIC_LEDGER, t.failed + "-ledger")
        .with(XC_ENDPOINT_URL, sim.url())
        .with(HTTP_PORT, 0)
        .with(STATUS_INTERVAL_MS, 0)
        .with(SHUTDOWN_GRACE_MS, 5000)
        .build();
    WorkerVerticle worker = new WorkerVerticle(config, metrics, Clock.systemUTC());
    String deployment = WorkerHarness.await(vertx.deployVerticle(worker));
    try {
      OpsProbe ops = new OpsProbe(worker.opsPort());
      // Not ready, and it stays so: no call, no result, no commit, nothing even read.
      await().atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(250))
          .until(() -> ops.ready().status() == 503 && sim.totalCalls() == 0);
      OpsProbe.Answer ready = ops.ready();
      assertThat(ready.check("kafka")).as(ready.body()).isEqualTo("DOWN");
      assertThat(ready.check("intake")).as(ready.body()).isEqualTo("DOWN");
      assertThat(metrics.registry().get("pew.events.consumed").counter().count()).isZero();
      assertThat(readAll(t.sent, t.failed)).isEmpty();
      // Refused credentials can be fixed while the worker runs (broker users, ACLs): intake keeps
      // retrying on a backoff, so the worker stays live and recovers without a restart.
      assertThat(worker.status().intakeRunning()).isTrue();
      assertThat(ops.live().status()).isEqualTo(200);
      try (Admin admin = Admin.create(cluster.clientProperties(TESTER, TESTER_PASSWORD))) {
        assertThat(admin.listConsumerGroupOffsets(t.group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS))
            .isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    } finally {
      WorkerHarness.await(vertx.undeploy(deployment));
      WorkerHarness.await(sim.close());
    }
  }

  /** One test's topics and group on the SASL cluster. */
  private record Topics(String input, String sent, String failed, String group) {
    static Topics create() {
      Topics t = new Topics(KafkaTestClient.unique("in"), KafkaTestClient.unique("sent"),
          KafkaTestClient.unique("failed"), KafkaTestClient.unique("group"));
      try (Admin admin = Admin.create(cluster.clientProperties(TESTER, TESTER_PASSWORD))) {
        admin.createTopics(List.of(new NewTopic(t.input, 2, (short) 1), new NewTopic(t.sent, 1, (short) 1),
            new NewTopic(t.failed, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        KafkaTestClient.awaitWritable(admin, List.of(t.input, t.sent, t.failed));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return t;
    }
  }

  private static void produce(String topic, int n, String prefix) {
    Map<String, Object> p = cluster.clientProperties(TESTER, TESTER_PASSWORD);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String email = prefix + i + "@example.com";
        acks.add(producer.send(new ProducerRecord<>(topic, KafkaTestClient.bytes(email),
            KafkaTestClient.bytes("{\"eventId\":\"" + prefix + "-" + i + "\",\"email\":\"" + email + "\"}"))));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Everything in the topics now, read as the tester user. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String... topics) {
    Map<String, Object> c = cluster.clientProperties(TESTER, TESTER_PASSWORD);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }
}
