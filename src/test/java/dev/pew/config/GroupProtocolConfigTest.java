package dev.pew.config;

import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;


import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code group.protocol}: the worker's classic-only defaults (cooperative sticky assignor, 30 s
 * session) are left out with {@code consumer} (KIP-848), where the Kafka consumer refuses them;
 * an operator's value for what that protocol refuses stops start-up naming the key.
 */
class GroupProtocolConfigTest {

  @TempDir Path dir;

  @Test
  void classicIsTheDefaultWithTheWorkersAssignorAndSession() {
    WorkerConfig c = loadEnv(dir, env()).config();
    Map<String, String> p = c.kafka().consumer("t", 128);
    assertThat(p).containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000")
        .doesNotContainKey(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "KAFKA_CONSUMER_GROUP_PROTOCOL, consumer",
      "KAFKA_GROUP_PROTOCOL, consumer",
      "KAFKA_GROUP_PROTOCOL, CONSUMER",
  })
  void consumerProtocolFromTheEnvironmentDropsTheClassicDefaults(String variable, String value) {
    WorkerConfig c = loadEnv(dir, env(variable, value)).config();
    assertConsumerProtocolProperties(c.kafka().consumer("t", 128));
  }

  @Test
  void consumerProtocolFromTheFileDropsTheClassicDefaultsAndPassesTheRemoteAssignor() {
    write(dir, "conf/config.json", "{\"kafka.consumer\": {\"group.protocol\": \"consumer\", \"group.remote.assignor\": \"range\"}}");
    WorkerConfig c = ConfigLoader.load(List.of(), env(), dir).config();
    Map<String, String> p = c.kafka().consumer("t", 128);
    assertConsumerProtocolProperties(p);
    assertThat(p).containsEntry(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "KAFKA_CONSUMER_SESSION_TIMEOUT_MS, 6000, kafka.consumer.session.timeout.ms, group.consumer.session.timeout.ms",
      "KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS, 500, kafka.consumer.heartbeat.interval.ms, group.consumer.heartbeat.interval.ms",
      "KAFKA_HEARTBEAT_INTERVAL_MS, 500, kafka.common.heartbeat.interval.ms, group.consumer.heartbeat.interval.ms",
      "KAFKA_CONSUMER_PARTITION_ASSIGNMENT_STRATEGY, org.apache.kafka.clients.consumer.RangeAssignor, "
          + "kafka.consumer.partition.assignment.strategy, group.remote.assignor",
  })
  void consumerProtocolRefusesWhatTheBrokerDecides(String variable, String value, String key, String hint) {
    assertConfigError(() -> loadEnv(dir, env("KAFKA_GROUP_PROTOCOL", "consumer", variable, value)), key, hint);
  }

  @Test
  void consumerProtocolInTheFileRefusesAnAssignmentStrategy() {
    write(dir, "conf/config.json", """
        {"kafka.consumer": {"group.protocol": "consumer",
                            "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RangeAssignor"}}
        """);
    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "kafka.consumer.partition.assignment.strategy",
        "cannot be set with group.protocol=consumer");
  }

  @Test
  void theConsumerSectionDecidesTheProtocol() {
    // common says consumer, the consumer section says classic: classic, so a session timeout is fine
    WorkerConfig c = loadEnv(dir, env("KAFKA_GROUP_PROTOCOL", "consumer", "KAFKA_CONSUMER_GROUP_PROTOCOL", "classic",
        "KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000")).config();
    assertThat(c.kafka().consumer("t", 128)).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
  }

  @Test
  void classicProtocolRefusesTheRemoteAssignor() {
    assertConfigError(() -> loadEnv(dir, env("KAFKA_CONSUMER_GROUP_REMOTE_ASSIGNOR", "uniform")),
        "kafka.consumer.group.remote.assignor", "only with group.protocol=consumer");
  }

  @Test
  void anUnknownProtocolIsRejectedByKafkasConfigDef() {
    assertConfigError(() -> loadEnv(dir, env("KAFKA_GROUP_PROTOCOL", "eager")), "kafka.common.group.protocol", "got \"eager\"");
  }

  /** The real Kafka consumer accepts both protocols' properties (it refuses at construction, before any connection). */
  @ParameterizedTest(name = "group.protocol={0}")
  @CsvSource({"classic", "consumer"})
  void theKafkaConsumerAcceptsThePropertiesOfEitherProtocol(String protocol) {
    WorkerConfig c = loadEnv(dir, env("KAFKA_GROUP_PROTOCOL", protocol, "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")).config();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<byte[], byte[]>(new java.util.HashMap<String, Object>(c.kafka().consumer("t", 128)))) {
      assertThat(consumer.assignment()).isEmpty();
      consumer.close(Duration.ZERO);
    }
  }

  private static void assertConsumerProtocolProperties(Map<String, String> p) {
    assertThat(String.valueOf(p.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG))).isEqualToIgnoringCase("consumer");
    assertThat(p).doesNotContainKeys(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
  }
}
