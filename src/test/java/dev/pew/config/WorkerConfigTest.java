package dev.pew.config;

import dev.pew.kafka.KafkaClients;
import static dev.pew.config.Settings.*;
import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

  @TempDir Path dir;

  private static TestConfig valid() {
    return TestConfig.builder().with(XC_ENDPOINT_URL, URL);
  }

  @Test
  void builderStartsFromTheContractDefaults() {
    WorkerConfig c = valid().build();

    assertThat(c.get(KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    assertThat(c.get(KAFKA_GROUP_ID)).isEqualTo("password-email-worker");
    assertThat(c.get(TOPIC_INPUT)).isEqualTo("onboarding-events");
    assertThat(c.get(TOPIC_SENT)).isEqualTo("password-email-sent");
    assertThat(c.get(TOPIC_FAILED)).isEqualTo("password-email-failed");
    assertThat(c.get(TOPIC_DEAD_LETTER)).isEmpty();
    assertThat(c.get(XC_ENDPOINT_URL)).isEqualTo(URI.create(URL));
    assertThat(c.get(XC_API_TOKEN)).isEmpty();
    assertThat(c.get(XC_API_TOKEN_FILE)).isEmpty();
    assertThat(c.get(XC_CLIENT_P12)).isEmpty();
    assertThat(c.get(XC_CLIENT_P12_PASSWORD)).isEmpty();
    assertThat(c.get(XC_CA_FILE)).isEmpty();
    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(64);
    assertThat(c.get(RATE_LIMIT_PER_SECOND)).isZero();
    assertThat(c.get(RATE_LIMIT_BURST)).isEqualTo(1);
    assertThat(c.get(MAX_ATTEMPTS)).isEqualTo(5);
    assertThat(c.get(BACKOFF_INITIAL_MS)).isEqualTo(500);
    assertThat(c.get(BACKOFF_MAX_MS)).isEqualTo(30_000);
    assertThat(c.get(REQUEST_TIMEOUT_MS)).isEqualTo(10_000);
    assertThat(c.get(ON_AUTH_FAILURE)).isEqualTo(OnAuthFailure.HOLD);
    assertThat(c.get(HTTP_PORT)).isEqualTo(8080);
    assertThat(c.get(SHUTDOWN_GRACE_MS)).isEqualTo(30_000);
    assertThat(c.get(ORDERING)).isEqualTo(Ordering.UNORDERED);
    assertThat(c.get(HOLD_AFTER_FAILURES)).isEqualTo(5);
    assertThat(c.get(RETRY_AFTER_MAX_MS)).isEqualTo(300_000);
    assertThat(c.get(MAX_BUFFERED)).isEqualTo(128);
    assertThat(c.get(LOG_FORMAT)).isEqualTo(LogFormat.TEXT);
    assertThat(c.get(STATUS_INTERVAL_MS)).isEqualTo(30_000);
    assertThat(TestConfig.section(c, KafkaClients.Section.COMMON)).isEmpty();
    assertThat(TestConfig.section(c, KafkaClients.Section.CONSUMER)).isEmpty();
    assertThat(TestConfig.section(c, KafkaClients.Section.PRODUCER)).isEmpty();
  }

  @Test
  void requiresTheEndpointUrl() {
    assertConfigError(() -> TestConfig.builder().build(),
        "XC_ENDPOINT_URL", "required: the full URL of send_password_email");
  }

  @Test
  void autoBurstIsATenthOfTheRateRoundedUpAndAtLeastOne() {
    assertThat(valid().with(RATE_LIMIT_PER_SECOND, 0).build().get(RATE_LIMIT_BURST)).isEqualTo(1);
    assertThat(valid().with(RATE_LIMIT_PER_SECOND, 2.5).build().get(RATE_LIMIT_BURST)).isEqualTo(1);
    assertThat(valid().with(RATE_LIMIT_PER_SECOND, 25).build().get(RATE_LIMIT_BURST)).isEqualTo(3);
    assertThat(valid().with(RATE_LIMIT_PER_SECOND, 25).with(RATE_LIMIT_BURST, 7).build().get(RATE_LIMIT_BURST)).isEqualTo(7);
  }

  @Test
  void autoMaxBufferedIsTwiceMaxInFlightAndAtLeastOneHundred() {
    assertThat(valid().with(MAX_IN_FLIGHT, 10).build().get(MAX_BUFFERED)).isEqualTo(100);
    assertThat(valid().with(MAX_IN_FLIGHT, 500).build().get(MAX_BUFFERED)).isEqualTo(1000);
    assertThat(valid().with(MAX_IN_FLIGHT, 500).with(MAX_BUFFERED, 600).build().get(MAX_BUFFERED)).isEqualTo(600);
  }

  @Test
  void rejectsMaxBufferedBelowMaxInFlight() {
    assertConfigError(() -> valid().with(MAX_IN_FLIGHT, 64).with(MAX_BUFFERED, 10).build(),
        "MAX_BUFFERED", "must be auto or an integer >= MAX_IN_FLIGHT (64), got \"10\"");
  }

  @Test
  void rejectsBackoffMaxBelowInitial() {
    assertConfigError(() -> valid().with(BACKOFF_INITIAL_MS, 500).with(BACKOFF_MAX_MS, 100).build(),
        "BACKOFF_MAX_MS", "must be >= BACKOFF_INITIAL_MS (500), got \"100\"");
  }

  @Test
  void rejectsOutOfRangeNumbersWithTheSameWordingAsFromTheEnvironment() {
    assertConfigError(() -> valid().with(MAX_IN_FLIGHT, 0).build(), "MAX_IN_FLIGHT", "must be an integer from 1 to 10000, got \"0\"");
    assertConfigError(() -> valid().with(RATE_LIMIT_PER_SECOND, -1).build(), "RATE_LIMIT_PER_SECOND", "must be a number >= 0");
    assertConfigError(() -> valid().with(RATE_LIMIT_PER_SECOND, Double.NaN).build(), "RATE_LIMIT_PER_SECOND", "must be a number >= 0");
    assertConfigError(() -> valid().with(HTTP_PORT, 70_000).build(), "HTTP_PORT", "must be an integer from 0 to 65535");
    assertConfigError(() -> valid().with(ON_AUTH_FAILURE, " ").build(), "ON_AUTH_FAILURE", "must be hold or fail");
  }

  @Test
  void blankDeadLetterTopicMeansOff() {
    assertThat(valid().with(TOPIC_DEAD_LETTER, "  ").build().get(TOPIC_DEAD_LETTER)).isEmpty();
  }

  @Test
  void rejectsDeadLetterTopicEqualToAResultTopic() {
    assertConfigError(() -> valid().with(TOPIC_DEAD_LETTER, "password-email-failed").build(),
        "TOPIC_DEAD_LETTER", "must differ from TOPIC_FAILED");
  }

  @Test
  void normalizesBlanksInTheBootstrapList() {
    assertThat(valid().with(KAFKA_BOOTSTRAP_SERVERS, " a:9092 , [::1]:9093,b.example:9094 ").build().get(KAFKA_BOOTSTRAP_SERVERS))
        .isEqualTo("a:9092,[::1]:9093,b.example:9094");
  }

  @Test
  void p12WithoutPasswordLeavesThePasswordUnset() throws Exception {
    Path p12 = Files.createFile(dir.resolve("client.p12"));

    WorkerConfig c = valid().with(XC_CLIENT_P12, p12).build();

    assertThat(c.get(XC_CLIENT_P12)).contains(p12);
    assertThat(c.get(XC_CLIENT_P12_PASSWORD)).isEmpty();
  }

  @Test
  void stripsBlanksAroundTheToken() {
    assertThat(valid().with(XC_API_TOKEN, "  " + TOKEN + "\n").build().get(XC_API_TOKEN)).contains(TOKEN);
  }

  @Test
  void passThroughPropertiesAreListedSortedAndTheListingCannotChangeThem() {
    WorkerConfig c = valid().kafka(KafkaClients.Section.COMMON, Map.of("security.protocol", "SSL", "client.id", "w")).build();

    assertThat(c.kafka().sections().keySet()).containsExactly("kafka.common.client.id", "kafka.common.security.protocol");
    c.kafka().sections().put("kafka.common.max.poll.records", "1");
    assertThat(c.kafka().sections()).doesNotContainKey("kafka.common.max.poll.records");
    assertThat(c.kafka().consumer("w", 500)).containsEntry("max.poll.records", "500");
  }

  /**
   * A send to a topic whose metadata the producer forgot (after 5 minutes without a send, by default)
   * waits for a fetch, or, from the event loop, is refused and retried: every producer keeps its
   * topics' metadata for its life, and Kafka accepts the value without overflowing.
   */
  @Test
  void producersKeepTheMetadataOfTopicsTheySendToRarely() {
    Map<String, String> p = valid().build().kafka().producer("w");

    long idleMs = Long.parseLong(p.get(ProducerConfig.METADATA_MAX_IDLE_CONFIG));
    assertThat(idleMs).isGreaterThanOrEqualTo(Duration.ofDays(365).toMillis());
    assertThat(System.currentTimeMillis() + idleMs).isPositive();
    new ProducerConfig(new java.util.HashMap<String, Object>(p));
  }

  /**
   * The result and ledger producers send from the event loop: their {@code send} never waits there,
   * whatever the operator passed through (which the other producers, on threads of their own, keep).
   */
  @Test
  void eventLoopProducersNeverBlockWhateverIsPassedThrough() {
    KafkaClients kafka = valid().kafka(KafkaClients.Section.PRODUCER,
        Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000")).build().kafka();

    assertThat(kafka.eventLoopProducer("w")).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "w-results");
    assertThat(kafka.producer("w")).containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
    new ProducerConfig(new java.util.HashMap<String, Object>(kafka.eventLoopProducer("w")));
    // The control-channel and replay producers wait for metadata on their own threads, 10 s at most.
    assertThat(valid().build().kafka().producer("w"))
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
  }

  @Test
  void describeListsEveryKeyOnOneLine() {
    WorkerConfig c = valid().kafka(KafkaClients.Section.COMMON, Map.of("security.protocol", "SSL")).build();

    String line = c.describe();

    assertThat(line).doesNotContain("\n");
    for (Setting<?> s : Settings.ALL) {
      assertThat(line).contains(s.name() + "=");
    }
    assertThat(line)
        .contains("MAX_IN_FLIGHT=64")
        .contains("MAX_BUFFERED=128(auto)")
        .contains("RATE_LIMIT_BURST=1(auto)")
        .contains("ON_AUTH_FAILURE=hold")
        .contains("TOPIC_DEAD_LETTER=(unset)")
        .contains("kafka.common.security.protocol=SSL");
    assertThat(c.toString()).isEqualTo(line);
  }

  @Test
  void describeAndToStringHideEverySecret() throws Exception {
    Path p12 = Files.createFile(dir.resolve("client.p12"));
    WorkerConfig c = valid()
        .with(XC_API_TOKEN, TOKEN)
        .with(XC_CLIENT_P12, p12)
        .with(XC_CLIENT_P12_PASSWORD, P12_PASSWORD)
        .kafka(KafkaClients.Section.COMMON, Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "ts-pw-1", "security.protocol", "SASL_SSL"))
        .kafka(KafkaClients.Section.CONSUMER, Map.of("ssl.key.password", "key-pw-2"))
        .kafka(KafkaClients.Section.PRODUCER, Map.of("ssl.keystore.password", "ks-pw-3", "ssl.keystore.key", "-----BEGIN PRIVATE KEY----- abc"))
        .build();

    for (String text : new String[] {c.describe(), c.toString()}) {
      assertThat(text)
          .contains("XC_API_TOKEN=***", "XC_CLIENT_P12_PASSWORD=***", "kafka.common.sasl.jaas.config=***",
              "kafka.common.ssl.truststore.password=***", "kafka.consumer.ssl.key.password=***",
              "kafka.producer.ssl.keystore.password=***", "kafka.producer.ssl.keystore.key=***")
          .doesNotContain(TOKEN, P12_PASSWORD, "jaas-pw-77", "ts-pw-1", "key-pw-2", "ks-pw-3", "PRIVATE KEY");
    }
  }

  @Test
  void configExceptionMessageIsKeyColonProblemOnOneLine() {
    ConfigException e = new ConfigException("MAX_IN_FLIGHT", "bad\nvalue\r\nhere");

    assertThat(e.key()).isEqualTo("MAX_IN_FLIGHT");
    assertThat(e.problem()).isEqualTo("bad value here");
    assertThat(e.getMessage()).isEqualTo("MAX_IN_FLIGHT: bad value here");
  }
}
