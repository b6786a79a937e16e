package dev.pew.config;

import dev.pew.kafka.KafkaClients;
import static dev.pew.config.Settings.*;
import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaPassThroughTest {

  @TempDir Path dir;

  private LoadedConfig loadFile(String json, Map<String, String> env) {
    write(dir, "conf/config.json", json);
    return ConfigLoader.load(List.of(), env, dir);
  }

  @Test
  void readsFlatSectionsFromTheFileAndStringifiesValues() {
    WorkerConfig c = loadFile("""
        {
          "kafka.common": {"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN"},
          "kafka.consumer": {"max.poll.records": 50, "allow.auto.create.topics": false, "_note": "ignored"},
          "kafka.producer": {"linger.ms": 5, "ssl.enabled.protocols": ["TLSv1.2", "TLSv1.3"], "compression.type": null}
        }
        """, env()).config();

    assertThat(TestConfig.section(c, KafkaClients.Section.COMMON)).isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
    assertThat(TestConfig.section(c, KafkaClients.Section.CONSUMER)).isEqualTo(Map.of("max.poll.records", "50", "allow.auto.create.topics", "false"));
    assertThat(TestConfig.section(c, KafkaClients.Section.PRODUCER)).isEqualTo(Map.of("linger.ms", "5", "ssl.enabled.protocols", "TLSv1.2,TLSv1.3"));
  }

  @Test
  void refusesSectionsNestedUnderKafkaNamingTheTopLevelShape() {
    assertConfigError(() -> loadFile("""
        {"kafka": {"common": {"client.id": "w1"}}}
        """, env()), "kafka", "top-level \"kafka.common\"");
  }

  @Test
  void rejectsANonObjectSection() {
    assertConfigError(() -> loadFile("{\"kafka.consumer\": \"max.poll.records=5\"}", env()), "kafka.consumer", "must be an object");
  }

  @Test
  void mapsEnvironmentVariablesToTheirSections() {
    WorkerConfig c = loadEnv(dir, env(
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_JAAS_CONFIG", JAAS,
        "KAFKA_CONSUMER_MAX_POLL_RECORDS", "20",
        "KAFKA_PRODUCER_LINGER_MS", "7")).config();

    assertThat(TestConfig.section(c, KafkaClients.Section.COMMON)).isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS));
    assertThat(TestConfig.section(c, KafkaClients.Section.CONSUMER)).isEqualTo(Map.of("max.poll.records", "20"));
    assertThat(TestConfig.section(c, KafkaClients.Section.PRODUCER)).isEqualTo(Map.of("linger.ms", "7"));
  }

  @Test
  void environmentOverridesTheFileForTheSameProperty() {
    WorkerConfig c = loadFile("{\"kafka.consumer\": {\"max.poll.records\": 50, \"fetch.min.bytes\": 3}}",
        env("KAFKA_CONSUMER_MAX_POLL_RECORDS", "9")).config();

    assertThat(TestConfig.section(c, KafkaClients.Section.CONSUMER)).isEqualTo(Map.of("max.poll.records", "9", "fetch.min.bytes", "3"));
  }

  @Test
  void ignoresUnrelatedKafkaVariablesWithAWarning() {
    LoadedConfig loaded = loadEnv(dir, env(
        "KAFKA_HOME", "/opt/kafka",
        "KAFKA_OPTS", "-Xmx1g",
        "KAFKA_HEAP_OPTS", "-Xmx1g",
        "KAFKA_CONSUMER_LINGER_MS", "5",
        "KAFKA_", "x"));

    assertThat(TestConfig.section(loaded.config(), KafkaClients.Section.COMMON)).isEmpty();
    assertThat(TestConfig.section(loaded.config(), KafkaClients.Section.CONSUMER)).isEmpty();
    assertThat(loaded.warnings()).containsExactly(
        "ignoring environment variable KAFKA_: \"\" is not a Kafka client property",
        "ignoring environment variable KAFKA_CONSUMER_LINGER_MS: \"linger.ms\" is not a Kafka consumer property",
        "ignoring environment variable KAFKA_HEAP_OPTS: \"heap.opts\" is not a Kafka client property",
        "ignoring environment variable KAFKA_HOME: \"home\" is not a Kafka client property",
        "ignoring environment variable KAFKA_OPTS: \"opts\" is not a Kafka client property");
  }

  @Test
  void rejectsUnknownPropertyNamesInTheFile() {
    assertConfigError(() -> loadFile("{\"kafka.common\": {\"securty.protocol\": \"SSL\"}}", env()),
        "kafka.common.securty.protocol", "not a Kafka consumer or producer property");
    assertConfigError(() -> loadFile("{\"kafka.consumer\": {\"linger.ms\": 5}}", env()),
        "kafka.consumer.linger.ms", "not a Kafka consumer property");
    assertConfigError(() -> loadFile("{\"kafka.producer\": {\"max.poll.records\": 5}}", env()),
        "kafka.producer.max.poll.records", "not a Kafka producer property");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      kafka.common   | bootstrap.servers   | h:1          | set by the worker: use KAFKA_BOOTSTRAP_SERVERS
      kafka.consumer | group.id            | g            | set by the worker: use KAFKA_GROUP_ID
      kafka.consumer | enable.auto.commit  | true         | set by the worker (false)
      kafka.consumer | key.deserializer    | x.Y          | set by the worker
      kafka.consumer | value.deserializer  | x.Y          | set by the worker
      kafka.producer | key.serializer      | x.Y          | set by the worker
      kafka.producer | value.serializer    | x.Y          | set by the worker
      kafka.producer | acks                | 1            | must be all (or -1)
      kafka.common   | acks                | 0            | must be all (or -1)
      kafka.producer | enable.idempotence  | false        | must be true
      kafka.producer | transactional.id    | t            | not supported
      """)
  void rejectsOverridesOfWorkerManagedProperties(String section, String name, String value, String problem) {
    String json = "{\"" + section + "\": {\"" + name + "\": \"" + value + "\"}}";

    assertConfigError(() -> loadFile(json, env()), section + "." + name, problem);
  }

  @Test
  void allowsManagedPropertiesSetToTheWorkersOwnValue() {
    WorkerConfig c = loadFile("{\"kafka.producer\": {\"acks\": \"all\", \"enable.idempotence\": true}}", env()).config();

    assertThat(TestConfig.section(c, KafkaClients.Section.PRODUCER)).isEqualTo(Map.of("acks", "all", "enable.idempotence", "true"));
    assertThat(TestConfig.section(loadEnv(dir, env("KAFKA_PRODUCER_ACKS", "-1")).config(), KafkaClients.Section.PRODUCER)).containsEntry("acks", "-1");
  }

  @Test
  void rejectsManagedPropertiesFromTheEnvironmentRatherThanIgnoringThem() {
    assertConfigError(() -> loadEnv(dir, env("KAFKA_ENABLE_AUTO_COMMIT", "true")),
        "kafka.common.enable.auto.commit", "set by the worker");
    assertConfigError(() -> loadEnv(dir, env("KAFKA_PRODUCER_GROUP_ID", "g")),
        "kafka.producer.group.id", "use KAFKA_GROUP_ID");
  }

  @Test
  void reportsTypeErrorsFromKafkasConfigDef() {
    assertConfigError(() -> loadEnv(dir, env("KAFKA_SECURITY_PROTOCOL", "SASL_TLS")),
        "kafka.common.security.protocol", "String must be one of");
    assertConfigError(() -> loadEnv(dir, env("KAFKA_PRODUCER_LINGER_MS", "-5")),
        "kafka.producer.linger.ms", "got \"-5\"");
    assertConfigError(() -> loadFile("{\"kafka.consumer\": {\"max.poll.records\": \"lots\"}}", env()),
        "kafka.consumer.max.poll.records", "rejected by the Kafka client: Not a number of type INT, got \"lots\"");
    assertConfigError(() -> loadFile("{\"kafka.producer\": {\"partitioner.class\": \"com.example.Missing\"}}", env()),
        "kafka.producer.partitioner.class", "com.example.Missing");
  }

  @Test
  void builderValidatesKafkaPropertiesToo() {
    assertConfigError(() -> TestConfig.builder().with(XC_ENDPOINT_URL, URL)
        .kafka(KafkaClients.Section.CONSUMER, Map.of("max.poll.records", "0")).build(), "kafka.consumer.max.poll.records", "got \"0\"");
    assertConfigError(() -> TestConfig.builder().with(XC_ENDPOINT_URL, URL)
        .kafka(KafkaClients.Section.COMMON, Map.of("bootstrap.servers", "x:1")).build(), "kafka.common.bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void secretPropertiesNeverAppearInDescribeOrErrors() {
    LoadedConfig loaded = loadEnv(dir, env(
        "KAFKA_SASL_JAAS_CONFIG", JAAS,
        "KAFKA_SSL_TRUSTSTORE_PASSWORD", "ts-pw-1",
        "KAFKA_CONSUMER_SSL_KEY_PASSWORD", "key-pw-2"));

    assertThat(TestConfig.section(loaded.config(), KafkaClients.Section.COMMON)).containsEntry("sasl.jaas.config", JAAS);
    assertThat(loaded.config().describe())
        .contains("kafka.common.sasl.jaas.config=***", "kafka.common.ssl.truststore.password=***",
            "kafka.consumer.ssl.key.password=***")
        .doesNotContain("jaas-pw-77", "ts-pw-1", "key-pw-2");
    assertThat(String.join(" ", loaded.warnings())).doesNotContain("jaas-pw-77");

    // A secret given where it does not belong is reported by name only.
    assertThatThrownBy(() -> loadFile("{\"kafka.common\": {\"sasl.jaas.config\": {\"x\": \"jaas-pw-77\"}}}", env()))
        .isInstanceOf(ConfigException.class)
        .message().startsWith("kafka.common.sasl.jaas.config: ").doesNotContain("jaas-pw-77");
  }
}
