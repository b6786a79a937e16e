package dev.pew.testing;


import dev.pew.event.ResultEvents;
import static dev.pew.config.Settings.*;
import dev.pew.config.TestConfig;
import dev.pew.kafka.KafkaClients;
import dev.pew.WorkerVerticle;
import dev.pew.config.WorkerConfig;
import dev.pew.event.ResultEvent;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One test's world: its own topics and consumer group on the shared broker, an XC simulator, and
 * worker verticles deployed on the test's Vert.x instance. Close it at the end of the test.
 */
public final class WorkerHarness implements AutoCloseable {

  public final Vertx vertx;
  public final KafkaTestClient kafka;
  public final XcSimulator sim;
  public final String input;
  public final String sent;
  public final String failed;
  public final String deadLetter;
  public final String group;
  /** This test's own ledger topic: tests reuse event ids, a shared ledger would answer them as duplicates. */
  public final String ledger;
  private final Map<WorkerVerticle, String> deployments = new java.util.LinkedHashMap<>();
  private GroupProtocol protocol = GroupProtocol.CLASSIC;
  private boolean share;

  private WorkerHarness(Vertx vertx, XcSimulator sim, int partitions, String bootstrap) {
    this.vertx = vertx;
    this.kafka = new KafkaTestClient(bootstrap);
    this.sim = sim;
    this.input = KafkaTestClient.unique("in");
    this.sent = KafkaTestClient.unique("sent");
    this.failed = KafkaTestClient.unique("failed");
    this.deadLetter = KafkaTestClient.unique("dlq");
    this.group = KafkaTestClient.unique("group");
    this.ledger = KafkaTestClient.unique("ledger");
    kafka.createTopics(partitions, input);
    kafka.createTopics(1, sent, failed, deadLetter);
  }

  public static WorkerHarness start(Vertx vertx, int partitions) {
    return start(vertx, partitions, new SimulatorOptions());
  }

  public static WorkerHarness start(Vertx vertx, int partitions, SimulatorOptions simOptions) {
    return start(vertx, partitions, simOptions, KafkaBroker.bootstrapServers());
  }

  /** On a broker of the caller's choice (a Testcontainers one, say). */
  public static WorkerHarness start(Vertx vertx, int partitions, SimulatorOptions simOptions, String bootstrap) {
    XcSimulator sim = await(XcSimulator.start(vertx, simOptions));
    return new WorkerHarness(vertx, sim, partitions, bootstrap);
  }

  /**
   * Makes this harness's workers (verticles and processes) use {@code protocol}. Both get the same
   * quick group session (6 s) and heartbeat (0.5 s): the classic protocol from the client's
   * properties, the consumer protocol (KIP-848, where the client refuses those) from the group's
   * configs on the broker. Call before deploying.
   */
  public WorkerHarness groupProtocol(GroupProtocol protocol) {
    this.protocol = protocol;
    if (protocol == GroupProtocol.CONSUMER) {
      kafka.alterGroupConfig(group, Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "500"));
    }
    return this;
  }

  public GroupProtocol groupProtocol() {
    return protocol;
  }

  /**
   * Makes this harness's workers (verticles and processes) use {@code INTAKE=share} on a share group
   * with a short acquisition lock and this delivery limit (group configs, as {@code kafka-configs
   * --entity-type groups} sets them; the test broker allows locks from 1 s), a quick session (6 s)
   * and heartbeat (0.5 s). Call before deploying.
   */
  public WorkerHarness shareGroup(Duration lock, int deliveryLimit) {
    this.share = true;
    kafka.alterGroupConfig(group, Map.of("share.record.lock.duration.ms", Long.toString(lock.toMillis()),
        "share.delivery.count.limit", Integer.toString(deliveryLimit),
        "share.session.timeout.ms", "6000", "share.heartbeat.interval.ms", "500"));
    return this;
  }

  public boolean share() {
    return share;
  }

  /**
   * The protocol the broker runs this harness's group with right now ({@code CLASSIC} or
   * {@code CONSUMER}), to show the workers really use the one asked for. Call while a worker is in
   * the group.
   */
  public org.apache.kafka.common.GroupType groupType() {
    try {
      return kafka.admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).type();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A configuration pointing at this harness: quick backoffs, ephemeral port, no status line. */
  public TestConfig config() {
    return TestConfig.builder()
        .with(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrap())
        .with(KAFKA_GROUP_ID, group)
        .with(TOPIC_INPUT, input)
        .with(TOPIC_SENT, sent)
        .with(TOPIC_FAILED, failed)
        .with(TOPIC_LEDGER, ledger)
        .with(XC_ENDPOINT_URL, sim.url())
        .with(HTTP_PORT, 0)
        .with(BACKOFF_INITIAL_MS, 20)
        .with(BACKOFF_MAX_MS, 200)
        .with(REQUEST_TIMEOUT_MS, 5000)
        .with(SHUTDOWN_GRACE_MS, 10_000)
        .with(STATUS_INTERVAL_MS, 0)
        .with(INTAKE, share ? dev.pew.config.IntakeMode.SHARE : dev.pew.config.IntakeMode.GROUP)
        .kafka(KafkaClients.Section.CONSUMER, share ? Map.of() : protocol == GroupProtocol.CONSUMER
            ? Map.of("group.protocol", "consumer")
            : Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "500"));
  }

  /**
   * The environment of a worker process ({@link WorkerProcess}) pointing at this harness, with the
   * same quick settings as {@link #config()}; tests add or replace entries.
   */
  public Map<String, String> processEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
    env.put("KAFKA_GROUP_ID", group);
    env.put("TOPIC_INPUT", input);
    env.put("TOPIC_SENT", sent);
    env.put("TOPIC_FAILED", failed);
    env.put("TOPIC_LEDGER", ledger);
    env.put("XC_ENDPOINT_URL", sim.url());
    env.put("HTTP_PORT", "0");
    env.put("BACKOFF_INITIAL_MS", "20");
    env.put("BACKOFF_MAX_MS", "200");
    env.put("STATUS_INTERVAL_MS", "0");
    if (share) {
      env.put("INTAKE", "share");
    } else if (protocol == GroupProtocol.CONSUMER) {
      env.put("KAFKA_GROUP_PROTOCOL", "consumer");
    } else {
      env.put("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000");
      env.put("KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "500");
    }
    return env;
  }

  /**
   * Produces {@code n} valid events {@code <prefix><i>} for {@code <prefix><i>@example.com}, keyed
   * by the address, and waits for their acknowledgements.
   */
  public void backlog(String prefix, int n) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String email = prefix + i + "@example.com";
      records.add(new ProducerRecord<>(input, KafkaTestClient.bytes(email),
          KafkaTestClient.bytes("{\"eventId\":\"" + prefix + i + "\",\"email\":\"" + email + "\",\"cname\":\"acme\"}")));
    }
    kafka.sendAll(records);
  }

  public WorkerVerticle deploy(WorkerConfig config) {
    return deploy(config, new WorkerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }

  public WorkerVerticle deploy(WorkerConfig config, WorkerMetrics metrics) {
    WorkerVerticle worker = new WorkerVerticle(config, metrics, Clock.systemUTC());
    deployments.put(worker, await(vertx.deployVerticle(worker)));
    return worker;
  }

  /** Graceful stop of one worker (the SIGTERM path without the JVM exit). */
  public void undeploy(WorkerVerticle worker) {
    String id = deployments.remove(worker);
    if (id != null) {
      await(vertx.undeploy(id));
    }
  }

  public void send(String key, String value) {
    kafka.send(input, key, value);
  }

  public List<ResultEvent> results(String topic) {
    List<ResultEvent> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic)) {
      out.add(ResultEvents.fromJson(r.value()));
    }
    return out;
  }

  public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    return kafka.readAll(topic);
  }

  /** Waits until sent + failed hold at least {@code n} results. */
  public void awaitResults(int n, Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout.toMillis(), TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(200))
        .until(() -> kafka.count(sent, failed) >= n);
  }

  /** Waits until the group's committed offsets reach the end of every input partition. */
  public void awaitAllCommitted(Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout.toMillis(), TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
      Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(group);
      Map<TopicPartition, Long> end = endOffsets();
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        OffsetAndMetadata om = committed.get(e.getKey());
        long c = om == null ? 0 : om.offset();
        if (c < e.getValue()) {
          return false;
        }
      }
      return true;
    });
  }

  public Map<TopicPartition, Long> endOffsets() {
    try {
      var desc = kafka.admin().describeTopics(List.of(input)).allTopicNames().get(10, TimeUnit.SECONDS).get(input);
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> req = new HashMap<>();
      desc.partitions().forEach(p -> req.put(new TopicPartition(input, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      kafka.admin().listOffsets(req).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (String id : deployments.values()) {
      try {
        await(vertx.undeploy(id));
      } catch (RuntimeException ignored) {
        // best effort
      }
    }
    await(sim.close());
    kafka.close();
  }
}
