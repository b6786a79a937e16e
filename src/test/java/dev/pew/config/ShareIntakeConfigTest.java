package dev.pew.config;

import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code INTAKE=share}: the share consumer's properties (explicit acknowledgement, record-limited
 * polls), what a share consumer refuses stopping start-up with the key named, and {@code
 * ORDERING=key} refused with it.
 */
class ShareIntakeConfigTest {

  @TempDir Path dir;

  @Test
  void groupIsTheDefaultIntake() {
    assertThat(loadEnv(dir, env()).config().get(Settings.INTAKE)).isEqualTo(IntakeMode.GROUP);
    assertThat(loadEnv(dir, env("INTAKE", "Share")).config().get(Settings.INTAKE)).isEqualTo(IntakeMode.SHARE);
  }

  @Test
  void anUnknownIntakeNamesTheChoices() {
    assertConfigError(() -> loadEnv(dir, env("INTAKE", "queue")), "INTAKE", "group");
  }

  @Test
  void orderingByKeyCannotBeCombinedWithAShareGroup() {
    assertConfigError(() -> loadEnv(dir, env("INTAKE", "share", "ORDERING", "key")), "ORDERING", "INTAKE=share");
    assertThat(loadEnv(dir, env("INTAKE", "group", "ORDERING", "key")).config().get(Settings.ORDERING)).isEqualTo(Ordering.KEY);
  }

  @Test
  void theShareConsumerAcknowledgesExplicitlyAndPollsAtMostItsShare() {
    WorkerConfig c = loadEnv(dir, env("INTAKE", "share", "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")).config();
    Map<String, String> p = c.kafka().shareConsumer("w-share-0", 32);
    assertThat(p).containsEntry(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit")
        .containsEntry(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit")
        .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "32")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "w-share-0")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "password-email-worker")
        .containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKeys(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
  }

  /** The real share consumer takes them (it refuses unsupported properties at construction, before any connection). */
  @Test
  void theKafkaShareConsumerAcceptsTheProperties() {
    WorkerConfig c = loadEnv(dir, env("INTAKE", "share", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
        "KAFKA_INTERCEPTOR_CLASSES", "")).config();
    try (KafkaShareConsumer<byte[], byte[]> consumer =
        new KafkaShareConsumer<byte[], byte[]>(new HashMap<String, Object>(c.kafka().shareConsumer("t", 16)))) {
      assertThat(consumer.subscription()).isEmpty();
      consumer.close(Duration.ZERO);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "KAFKA_CONSUMER_SESSION_TIMEOUT_MS, 6000, kafka.consumer.session.timeout.ms, share.session.timeout.ms",
      "KAFKA_HEARTBEAT_INTERVAL_MS, 500, kafka.common.heartbeat.interval.ms, share.heartbeat.interval.ms",
      "KAFKA_CONSUMER_AUTO_OFFSET_RESET, latest, kafka.consumer.auto.offset.reset, share.auto.offset.reset",
      "KAFKA_CONSUMER_ISOLATION_LEVEL, read_uncommitted, kafka.consumer.isolation.level, share.isolation.level",
      "KAFKA_GROUP_PROTOCOL, consumer, kafka.common.group.protocol, own protocol",
      "KAFKA_CONSUMER_GROUP_INSTANCE_ID, w1, kafka.consumer.group.instance.id, static membership",
  })
  void whatAShareConsumerRefusesStopsStartUp(String variable, String value, String key, String hint) {
    assertConfigError(() -> loadEnv(dir, env("INTAKE", "share", variable, value)), key, hint);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"share.acknowledgement.mode, implicit", "share.acquire.mode, batch_optimized"})
  void theShareModesAreTheWorkers(String property, String value) {
    write(dir, "conf/config.json", "{\"kafka.consumer\": {\"" + property + "\": \"" + value + "\"}}");
    assertConfigError(() -> ConfigLoader.load(List.of(), env("INTAKE", "share"), dir), "kafka.consumer." + property,
        "set by the worker");
  }

  @Test
  void groupModeKeepsItsConsumerSettings() {
    WorkerConfig c = loadEnv(dir, env("KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000")).config();
    assertThat(c.kafka().consumer("t", 128)).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
  }
}
