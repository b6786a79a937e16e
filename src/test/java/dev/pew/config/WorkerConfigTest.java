package dev.pew.config;

import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

  @TempDir Path dir;

  private static WorkerConfig.Builder valid() {
    return WorkerConfig.builder().xcEndpointUrl(URL);
  }

  @Test
  void builderStartsFromTheContractDefaults() {
    WorkerConfig c = valid().build();

    assertThat(c.kafkaBootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.kafkaGroupId()).isEqualTo("password-email-worker");
    assertThat(c.topicInput()).isEqualTo("onboarding-events");
    assertThat(c.topicSent()).isEqualTo("password-email-sent");
    assertThat(c.topicFailed()).isEqualTo("password-email-failed");
    assertThat(c.topicDeadLetter()).isEmpty();
    assertThat(c.xcEndpointUrl()).isEqualTo(URI.create(URL));
    assertThat(c.xcApiToken()).isEmpty();
    assertThat(c.xcApiTokenFile()).isEmpty();
    assertThat(c.xcClientP12()).isEmpty();
    assertThat(c.xcClientP12Password()).isEmpty();
    assertThat(c.xcCaFile()).isEmpty();
    assertThat(c.maxInFlight()).isEqualTo(64);
    assertThat(c.rateLimitPerSecond()).isZero();
    assertThat(c.rateLimitBurst()).isEqualTo(1);
    assertThat(c.maxAttempts()).isEqualTo(5);
    assertThat(c.backoffInitialMs()).isEqualTo(500);
    assertThat(c.backoffMaxMs()).isEqualTo(30_000);
    assertThat(c.requestTimeoutMs()).isEqualTo(10_000);
    assertThat(c.onAuthFailure()).isEqualTo(OnAuthFailure.HOLD);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.shutdownGraceMs()).isEqualTo(30_000);
    assertThat(c.ordering()).isEqualTo(Ordering.UNORDERED);
    assertThat(c.holdAfterFailures()).isEqualTo(5);
    assertThat(c.retryAfterMaxMs()).isEqualTo(300_000);
    assertThat(c.maxBuffered()).isEqualTo(128);
    assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(c.statusIntervalMs()).isEqualTo(30_000);
    assertThat(c.kafkaCommon()).isEmpty();
    assertThat(c.kafkaConsumer()).isEmpty();
    assertThat(c.kafkaProducer()).isEmpty();
  }

  @Test
  void requiresTheEndpointUrl() {
    assertConfigError(() -> WorkerConfig.builder().build(),
        "XC_ENDPOINT_URL", "required: the full URL of send_password_email");
  }

  @Test
  void autoBurstIsATenthOfTheRateRoundedUpAndAtLeastOne() {
    assertThat(valid().rateLimitPerSecond(0).build().rateLimitBurst()).isEqualTo(1);
    assertThat(valid().rateLimitPerSecond(2.5).build().rateLimitBurst()).isEqualTo(1);
    assertThat(valid().rateLimitPerSecond(25).build().rateLimitBurst()).isEqualTo(3);
    assertThat(valid().rateLimitPerSecond(25).rateLimitBurst(7).build().rateLimitBurst()).isEqualTo(7);
  }

  @Test
  void autoMaxBufferedIsTwiceMaxInFlightAndAtLeastOneHundred() {
    assertThat(valid().maxInFlight(10).build().maxBuffered()).isEqualTo(100);
    assertThat(valid().maxInFlight(500).build().maxBuffered()).isEqualTo(1000);
    assertThat(valid().maxInFlight(500).maxBuffered(600).build().maxBuffered()).isEqualTo(600);
  }

  @Test
  void toBuilderKeepsAutoSettingsAuto() {
    WorkerConfig small = valid().build();

    WorkerConfig bigger = small.toBuilder().maxInFlight(500).rateLimitPerSecond(100).build();

    assertThat(bigger.maxBuffered()).isEqualTo(1000);
    assertThat(bigger.rateLimitBurst()).isEqualTo(10);
  }

  @Test
  void toBuilderWithoutChangesGivesAnEqualConfig() {
    WorkerConfig c = valid().topicDeadLetter("dlq").maxBuffered(300).kafkaCommon(Map.of("client.id", "w1")).build();

    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
  }

  @Test
  void rejectsMaxBufferedBelowMaxInFlight() {
    assertConfigError(() -> valid().maxInFlight(64).maxBuffered(10).build(),
        "MAX_BUFFERED", "must be auto or an integer >= MAX_IN_FLIGHT (64), got \"10\"");
  }

  @Test
  void rejectsBackoffMaxBelowInitial() {
    assertConfigError(() -> valid().backoffInitialMs(500).backoffMaxMs(100).build(),
        "BACKOFF_MAX_MS", "must be >= BACKOFF_INITIAL_MS (500), got \"100\"");
  }

  @Test
  void rejectsOutOfRangeNumbersFromTheBuilderWithTheSameWordingAsFromText() {
    assertConfigError(() -> valid().maxInFlight(0).build(), "MAX_IN_FLIGHT", "must be an integer from 1 to 10000, got \"0\"");
    assertConfigError(() -> valid().rateLimitPerSecond(-1).build(), "RATE_LIMIT_PER_SECOND", "must be a number >= 0");
    assertConfigError(() -> valid().rateLimitPerSecond(Double.NaN).build(), "RATE_LIMIT_PER_SECOND", "must be a number >= 0");
    assertConfigError(() -> valid().httpPort(70_000).build(), "HTTP_PORT", "must be an integer from 0 to 65535");
    assertConfigError(() -> valid().onAuthFailure(null).build(), "ON_AUTH_FAILURE", "required: hold or fail");
  }

  @Test
  void blankDeadLetterTopicMeansOff() {
    assertThat(valid().topicDeadLetter("  ").build().topicDeadLetter()).isEmpty();
  }

  @Test
  void rejectsDeadLetterTopicEqualToAResultTopic() {
    assertConfigError(() -> valid().topicDeadLetter("password-email-failed").build(),
        "TOPIC_DEAD_LETTER", "must differ from TOPIC_FAILED");
  }

  @Test
  void normalizesBlanksInTheBootstrapList() {
    assertThat(valid().kafkaBootstrapServers(" a:9092 , [::1]:9093,b.example:9094 ").build().kafkaBootstrapServers())
        .isEqualTo("a:9092,[::1]:9093,b.example:9094");
  }

  @Test
  void p12WithoutPasswordMeansEmptyPassword() throws Exception {
    Path p12 = Files.createFile(dir.resolve("client.p12"));

    WorkerConfig c = valid().xcClientP12(p12).build();

    assertThat(c.xcClientP12()).contains(p12);
    assertThat(c.xcClientP12Password()).contains("");
  }

  @Test
  void stripsBlanksAroundTheToken() {
    assertThat(valid().xcApiToken("  " + TOKEN + "\n").build().xcApiToken()).contains(TOKEN);
  }

  @Test
  void kafkaMapsAreSortedAndUnmodifiable() {
    WorkerConfig c = valid().kafkaCommon(Map.of("security.protocol", "SSL", "client.id", "w")).build();

    assertThat(c.kafkaCommon().keySet()).containsExactly("client.id", "security.protocol");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.kafkaCommon().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void describeListsEveryKeyOnOneLine() {
    WorkerConfig c = valid().kafkaCommon(Map.of("security.protocol", "SSL")).build();

    String line = c.describe();

    assertThat(line).doesNotContain("\n");
    for (String key : ConfigKeys.ALL) {
      assertThat(line).contains(key + "=");
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
        .xcApiToken(TOKEN)
        .xcClientP12(p12)
        .xcClientP12Password(P12_PASSWORD)
        .kafkaCommon(Map.of("sasl.jaas.config", JAAS, "ssl.truststore.password", "ts-pw-1", "security.protocol", "SASL_SSL"))
        .kafkaConsumer(Map.of("ssl.key.password", "key-pw-2"))
        .kafkaProducer(Map.of("ssl.keystore.password", "ks-pw-3", "ssl.keystore.key", "-----BEGIN PRIVATE KEY----- abc"))
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
  void roundTripsThroughJsonWithEverySettingChanged() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
    Path p12 = Files.createFile(dir.resolve("client.p12"));
    Path ca = Files.createFile(dir.resolve("ca.pem"));
    WorkerConfig original = WorkerConfig.builder()
        .kafkaBootstrapServers("k1:9092,k2:9092")
        .kafkaGroupId("g")
        .topicInput("in")
        .topicSent("ok")
        .topicFailed("ko")
        .topicDeadLetter("dlq")
        .xcEndpointUrl(URI.create("http://127.0.0.1:8081/send"))
        .xcApiTokenFile(tokenFile)
        .xcClientP12(p12)
        .xcClientP12Password(P12_PASSWORD)
        .xcCaFile(ca)
        .maxInFlight(8)
        .rateLimitPerSecond(2.5)
        .rateLimitBurst(4)
        .maxAttempts(9)
        .backoffInitialMs(100)
        .backoffMaxMs(2000)
        .requestTimeoutMs(3000)
        .onAuthFailure(OnAuthFailure.FAIL)
        .httpPort(0)
        .shutdownGraceMs(0)
        .ordering(Ordering.KEY)
        .holdAfterFailures(0)
        .retryAfterMaxMs(0)
        .maxBuffered(8)
        .logFormat(LogFormat.JSON)
        .statusIntervalMs(0)
        .kafkaCommon(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS))
        .kafkaConsumer(Map.of("max.poll.records", "50"))
        .kafkaProducer(Map.of("linger.ms", "5", "acks", "all"))
        .build();

    JsonObject json = original.toJson();
    WorkerConfig copy = WorkerConfig.fromJson(new JsonObject(json.encode()));

    assertThat(copy).isEqualTo(original);
    assertThat(copy.describe()).isEqualTo(original.describe());
    assertThat(json.getString("XC_CLIENT_P12_PASSWORD")).isEqualTo(P12_PASSWORD);
    assertThat(json.getString("ON_AUTH_FAILURE")).isEqualTo("fail");
    assertThat(json.getJsonObject("kafka.consumer").getString("max.poll.records")).isEqualTo("50");
    assertThat(copy.rateLimitPerSecond()).isEqualTo(2.5);
  }

  @Test
  void roundTripsTinyAndHugeRates() {
    for (double rate : new double[] {1e-7, 0.1, 2.5, 1e20}) {
      WorkerConfig c = valid().rateLimitPerSecond(rate).build();

      assertThat(WorkerConfig.fromJson(new JsonObject(c.toJson().encode())).rateLimitPerSecond()).isEqualTo(rate);
    }
  }

  @Test
  void emptyP12PasswordIsTheSameAsNone() throws Exception {
    Path p12 = Files.createFile(dir.resolve("client.p12"));

    WorkerConfig empty = valid().xcClientP12(p12).xcClientP12Password("").build();

    assertThat(empty).isEqualTo(valid().xcClientP12(p12).build());
    assertThat(WorkerConfig.fromJson(empty.toJson())).isEqualTo(empty);
    assertThat(valid().xcClientP12Password("").build().xcClientP12Password()).isEmpty();
  }

  @Test
  void toJsonUsesTheConfigFileKeysAndKeepsAuto() {
    JsonObject json = valid().build().toJson();

    assertThat(json.fieldNames()).isSubsetOf(ConfigKeys.ALL);
    assertThat(json.getValue("RATE_LIMIT_BURST")).isEqualTo("auto");
    assertThat(json.getValue("MAX_BUFFERED")).isEqualTo("auto");
    assertThat(json.getValue("MAX_IN_FLIGHT")).isEqualTo(64);
    assertThat(json.containsKey("TOPIC_DEAD_LETTER")).isFalse();
    assertThat(WorkerConfig.fromJson(json).maxBuffered()).isEqualTo(128);
  }

  @Test
  void fromJsonRejectsUnknownKeysLikeTheConfigFile() {
    JsonObject json = valid().build().toJson().put("MAX_IN_FLIHGT", 3);

    assertConfigError(() -> WorkerConfig.fromJson(json), "MAX_IN_FLIHGT", "did you mean MAX_IN_FLIGHT?");
  }

  @Test
  void fromJsonAcceptsTheNestedKafkaShape() {
    JsonObject json = new JsonObject()
        .put("XC_ENDPOINT_URL", URL)
        .put("kafka", new JsonObject().put("producer", new JsonObject().put("linger.ms", 20)));

    assertThat(WorkerConfig.fromJson(json).kafkaProducer()).isEqualTo(Map.of("linger.ms", "20"));
  }

  @Test
  void configExceptionMessageIsKeyColonProblemOnOneLine() {
    ConfigException e = new ConfigException("MAX_IN_FLIGHT", "bad\nvalue\r\nhere");

    assertThat(e.key()).isEqualTo("MAX_IN_FLIGHT");
    assertThat(e.problem()).isEqualTo("bad value here");
    assertThat(e.getMessage()).isEqualTo("MAX_IN_FLIGHT: bad value here");
  }
}
