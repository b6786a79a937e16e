package dev.pew.config;

import static dev.pew.config.Settings.*;
import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void usesDefaultsWhenThereIsNoFileAndOnlyTheRequiredVariable() {
    LoadedConfig loaded = loadEnv(dir, env());

    assertThat(loaded.file()).isEmpty();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().describe()).isEqualTo(TestConfig.builder().with(XC_ENDPOINT_URL, URL).build().describe());
  }

  @Test
  void fileOverridesDefaults() {
    Path file = write(dir, "c.json", """
        {"XC_ENDPOINT_URL": "%s", "MAX_IN_FLIGHT": 12, "ON_AUTH_FAILURE": "FAIL", "RATE_LIMIT_PER_SECOND": 2.5,
         "TOPIC_DEAD_LETTER": "dlq", "RATE_LIMIT_BURST": 4}
        """.formatted(URL));

    WorkerConfig c = ConfigLoader.load(List.of("--conf", file.toString()), Map.of(), dir).config();

    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(12);
    assertThat(c.get(ON_AUTH_FAILURE)).isEqualTo(OnAuthFailure.FAIL);
    assertThat(c.get(RATE_LIMIT_PER_SECOND)).isEqualTo(2.5);
    assertThat(c.get(RATE_LIMIT_BURST)).isEqualTo(4);
    assertThat(c.get(TOPIC_DEAD_LETTER)).contains("dlq");
    assertThat(c.get(MAX_ATTEMPTS)).isEqualTo(5);
  }

  @Test
  void environmentOverridesFile() {
    Path file = write(dir, "c.json", "{\"MAX_IN_FLIGHT\": 12, \"MAX_ATTEMPTS\": 7, \"XC_ENDPOINT_URL\": \"http://file/x\"}");

    WorkerConfig c = ConfigLoader.load(List.of("--conf=" + file), env("MAX_IN_FLIGHT", "30"), dir).config();

    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(30);
    assertThat(c.get(MAX_ATTEMPTS)).isEqualTo(7);
    assertThat(c.get(XC_ENDPOINT_URL).toString()).isEqualTo(URL);
  }

  @Test
  void environmentReplacesABadFileValueInsteadOfFailingOnIt() {
    Path file = write(dir, "c.json", "{\"MAX_IN_FLIGHT\": \"lots\"}");

    WorkerConfig c = ConfigLoader.load(List.of("--conf", file.toString()), env("MAX_IN_FLIGHT", "3"), dir).config();

    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(3);
  }

  @Test
  void emptyEnvironmentVariableCountsAsUnset() {
    Path file = write(dir, "c.json", "{\"MAX_IN_FLIGHT\": 12}");

    WorkerConfig c = ConfigLoader.load(List.of("--conf", file.toString()), env("MAX_IN_FLIGHT", "", "XC_API_TOKEN", ""), dir)
        .config();

    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(12);
    assertThat(c.get(XC_API_TOKEN)).isEmpty();
  }

  @Test
  void readsTheFileNamedByConfArgumentInBothForms() {
    Path file = write(dir, "sub/a.json", "{\"MAX_ATTEMPTS\": 2}");

    assertThat(ConfigLoader.load(List.of("other", "--conf", "sub/a.json"), env(), dir).config().get(MAX_ATTEMPTS)).isEqualTo(2);
    LoadedConfig loaded = ConfigLoader.load(List.of("--conf=sub/a.json"), env(), dir);
    assertThat(loaded.config().get(MAX_ATTEMPTS)).isEqualTo(2);
    assertThat(loaded.file()).contains(file);
  }

  @Test
  void readsTheFileNamedByConfigFileVariable() {
    Path file = write(dir, "b.json", "{\"MAX_ATTEMPTS\": 3}");

    LoadedConfig loaded = ConfigLoader.load(List.of(), env("CONFIG_FILE", file.toString()), dir);

    assertThat(loaded.config().get(MAX_ATTEMPTS)).isEqualTo(3);
    assertThat(loaded.file()).contains(file);
  }

  @Test
  void confArgumentWinsOverConfigFileVariableWithAWarning() {
    Path a = write(dir, "a.json", "{\"MAX_ATTEMPTS\": 2}");
    Path b = write(dir, "b.json", "{\"MAX_ATTEMPTS\": 3}");

    LoadedConfig loaded = ConfigLoader.load(List.of("--conf", a.toString()), env("CONFIG_FILE", b.toString()), dir);

    assertThat(loaded.config().get(MAX_ATTEMPTS)).isEqualTo(2);
    assertThat(loaded.warnings()).containsExactly("CONFIG_FILE is ignored because --conf names the config file");
  }

  @Test
  void readsConfConfigJsonFromTheWorkingDirectoryByDefault() {
    Path file = write(dir, "conf/config.json", "{\"MAX_ATTEMPTS\": 4}");

    LoadedConfig loaded = ConfigLoader.load(List.of(), env(), dir);

    assertThat(loaded.config().get(MAX_ATTEMPTS)).isEqualTo(4);
    assertThat(loaded.file()).contains(file);
  }

  @Test
  void missingNamedFileIsAnErrorUnderTheKeyThatNamedIt() {
    assertConfigError(() -> ConfigLoader.load(List.of("--conf", "nope.json"), env(), dir), "--conf", "config file not found");
    assertConfigError(() -> ConfigLoader.load(List.of(), env("CONFIG_FILE", "nope.json"), dir), "CONFIG_FILE", "config file not found");
  }

  @Test
  void confArgumentNeedsAValueAndOnlyOne() {
    assertConfigError(() -> ConfigLoader.load(List.of("--conf"), env(), dir), "--conf", "needs a file name");
    assertConfigError(() -> ConfigLoader.load(List.of("--conf="), env(), dir), "--conf", "needs a file name");
    write(dir, "a.json", "{}");
    assertConfigError(() -> ConfigLoader.load(List.of("--conf=a.json", "--conf", "a.json"), env(), dir),
        "--conf", "given more than once");
  }

  @Test
  void directoryInsteadOfFileIsAnError() throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));

    assertConfigError(() -> ConfigLoader.load(List.of("--conf", "conf.d"), env(), dir), "--conf", "is a directory");
  }

  @Test
  void unknownKeyInFileIsAnErrorWithASuggestion() {
    write(dir, "conf/config.json", "{\"MAX_INFLIGHT\": 5}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "MAX_INFLIGHT", "unknown key; did you mean MAX_IN_FLIGHT?");
  }

  @Test
  void kafkaPropertyAtTopLevelOfTheFileIsAnErrorPointingToKafkaCommon() {
    write(dir, "conf/config.json", "{\"security.protocol\": \"SSL\"}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "security.protocol", "go in \"kafka.common\"");
  }

  @Test
  void envStyleKafkaNameInTheFileIsAnErrorNamingTheProperty() {
    write(dir, "conf/config.json", "{\"KAFKA_SECURITY_PROTOCOL\": \"SSL\"}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "KAFKA_SECURITY_PROTOCOL", "(\"security.protocol\")");
  }

  @Test
  void fileMayHoldCommentsAndUnderscoreKeys() {
    write(dir, "conf/config.json", """
        // leading comment
        {
          /* block
             comment */
          "_comment": "ignored, whatever it holds",
          "_nested": {"anything": [1, 2]},
          "MAX_ATTEMPTS": 6, // trailing comment
          "TOPIC_DEAD_LETTER": null
        }
        """);

    assertThat(ConfigLoader.load(List.of(), env(), dir).config().get(MAX_ATTEMPTS)).isEqualTo(6);
  }

  @Test
  void invalidJsonNamesTheFileAndPositionButNotItsText() {
    write(dir, "conf/config.json", "{\n  \"XC_API_TOKEN\": " + TOKEN + "\n}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "conf/config.json", "not valid JSON at line 2");
    assertNoSecretIn(() -> ConfigLoader.load(List.of(), env(), dir));
  }

  @Test
  void duplicateKeyInFileIsAnError() {
    write(dir, "conf/config.json", "{\"MAX_ATTEMPTS\": 2, \"MAX_ATTEMPTS\": 3}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "conf/config.json", "\"MAX_ATTEMPTS\" appears twice");
  }

  @Test
  void fileMustHoldAnObject() {
    write(dir, "conf/config.json", "[1, 2]");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "conf/config.json", "must hold one JSON object");
  }

  @Test
  void objectValueForASettingIsAnErrorThatDoesNotEchoIt() {
    write(dir, "conf/config.json", "{\"XC_API_TOKEN\": {\"v\": \"" + TOKEN + "\"}}");

    assertConfigError(() -> ConfigLoader.load(List.of(), env(), dir), "XC_API_TOKEN", "must be a string, number or boolean, got an object");
    assertNoSecretIn(() -> ConfigLoader.load(List.of(), env(), dir));
  }

  @Test
  void jsonNumbersMustBePlainIntegersForIntegerKeys() {
    write(dir, "a.json", "{\"MAX_IN_FLIGHT\": 64.0}");
    write(dir, "b.json", "{\"MAX_IN_FLIGHT\": 1e3}");
    write(dir, "c.json", "{\"MAX_IN_FLIGHT\": true}");

    assertConfigError(() -> ConfigLoader.load(List.of("--conf=a.json"), env(), dir), "MAX_IN_FLIGHT", "got \"64.0\"");
    assertConfigError(() -> ConfigLoader.load(List.of("--conf=b.json"), env(), dir), "MAX_IN_FLIGHT", "must be an integer from 1 to 10000");
    assertConfigError(() -> ConfigLoader.load(List.of("--conf=c.json"), env(), dir), "MAX_IN_FLIGHT", "got \"true\"");
  }

  @Test
  void numbersMayBeWrittenAsStringsInTheFile() {
    write(dir, "conf/config.json", "{\"MAX_IN_FLIGHT\": \"12\", \"RATE_LIMIT_PER_SECOND\": \"0.5\"}");

    WorkerConfig c = ConfigLoader.load(List.of(), env(), dir).config();

    assertThat(c.get(MAX_IN_FLIGHT)).isEqualTo(12);
    assertThat(c.get(RATE_LIMIT_PER_SECOND)).isEqualTo(0.5);
  }

  @Test
  void choicesAreCaseInsensitive() {
    WorkerConfig c = loadEnv(dir, env("ON_AUTH_FAILURE", "Fail", "ORDERING", "KEY", "LOG_FORMAT", " json ",
        "RATE_LIMIT_BURST", "AUTO", "MAX_BUFFERED", "auto")).config();

    assertThat(c.get(ON_AUTH_FAILURE)).isEqualTo(OnAuthFailure.FAIL);
    assertThat(c.get(ORDERING)).isEqualTo(Ordering.KEY);
    assertThat(c.get(LOG_FORMAT)).isEqualTo(LogFormat.JSON);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      KAFKA_BOOTSTRAP_SERVERS | localhost             | KAFKA_BOOTSTRAP_SERVERS: must be a comma-separated list of host:port (port 1 to 65535), got "localhost"
      KAFKA_BOOTSTRAP_SERVERS | a:9092,,b:9092        | KAFKA_BOOTSTRAP_SERVERS: must be a comma-separated list of host:port
      KAFKA_BOOTSTRAP_SERVERS | a:99999               | KAFKA_BOOTSTRAP_SERVERS: must be a comma-separated list of host:port
      KAFKA_BOOTSTRAP_SERVERS | '  '                  | KAFKA_BOOTSTRAP_SERVERS: required
      KAFKA_GROUP_ID          | '  '                  | KAFKA_GROUP_ID: required
      TOPIC_INPUT             | bad topic             | TOPIC_INPUT: must be a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not . or ..), got "bad topic"
      TOPIC_INPUT             | ..                    | TOPIC_INPUT: must be a Kafka topic name
      TOPIC_SENT              | onboarding-events     | TOPIC_SENT: must differ from TOPIC_INPUT (onboarding-events)
      TOPIC_FAILED            | onboarding-events     | TOPIC_FAILED: must differ from TOPIC_INPUT (onboarding-events)
      TOPIC_DEAD_LETTER       | onboarding-events     | TOPIC_DEAD_LETTER: must differ from TOPIC_INPUT (onboarding-events)
      TOPIC_DEAD_LETTER       | dead/letter           | TOPIC_DEAD_LETTER: must be a Kafka topic name
      XC_ENDPOINT_URL         | ftp://host/x          | XC_ENDPOINT_URL: must be an absolute http or https URL with a host
      XC_ENDPOINT_URL         | /no_auth/send         | XC_ENDPOINT_URL: must be an absolute http or https URL with a host
      XC_ENDPOINT_URL         | https:///no-host      | XC_ENDPOINT_URL: must be an absolute http or https URL with a host
      XC_ENDPOINT_URL         | not a url             | XC_ENDPOINT_URL: must be an absolute http or https URL with a host
      XC_ENDPOINT_URL         | https://h/x#frag      | XC_ENDPOINT_URL: must not contain a #fragment
      MAX_IN_FLIGHT           | 0                     | MAX_IN_FLIGHT: must be an integer from 1 to 10000, got "0"
      MAX_IN_FLIGHT           | 10001                 | MAX_IN_FLIGHT: must be an integer from 1 to 10000, got "10001"
      MAX_IN_FLIGHT           | 64abc                 | MAX_IN_FLIGHT: must be an integer from 1 to 10000, got "64abc"
      MAX_IN_FLIGHT           | 1e3                   | MAX_IN_FLIGHT: must be an integer from 1 to 10000, got "1e3"
      MAX_IN_FLIGHT           | 99999999999999999999  | MAX_IN_FLIGHT: must be an integer from 1 to 10000, got "99999999999999999999"
      RATE_LIMIT_PER_SECOND   | -1                    | RATE_LIMIT_PER_SECOND: must be a number >= 0 such as 0, 20 or 2.5, got "-1"
      RATE_LIMIT_PER_SECOND   | 0x10                  | RATE_LIMIT_PER_SECOND: must be a number >= 0 such as 0, 20 or 2.5, got "0x10"
      RATE_LIMIT_PER_SECOND   | 1e999                 | RATE_LIMIT_PER_SECOND: must be a number >= 0 such as 0, 20 or 2.5, got "1e999"
      RATE_LIMIT_PER_SECOND   | NaN                   | RATE_LIMIT_PER_SECOND: must be a number >= 0
      RATE_LIMIT_BURST        | 0                     | RATE_LIMIT_BURST: must be auto or an integer >= 1, got "0"
      RATE_LIMIT_BURST        | many                  | RATE_LIMIT_BURST: must be auto or an integer >= 1, got "many"
      MAX_ATTEMPTS            | 0                     | MAX_ATTEMPTS: must be an integer from 1 to 100, got "0"
      MAX_ATTEMPTS            | 101                   | MAX_ATTEMPTS: must be an integer from 1 to 100, got "101"
      BACKOFF_INITIAL_MS      | 0                     | BACKOFF_INITIAL_MS: must be an integer >= 1, got "0"
      BACKOFF_MAX_MS          | 100                   | BACKOFF_MAX_MS: must be >= BACKOFF_INITIAL_MS (500), got "100"
      BACKOFF_MAX_MS          | 99999999999999999999  | BACKOFF_MAX_MS: must be an integer >= 1 (at most 9223372036854775807), got "99999999999999999999"
      REQUEST_TIMEOUT_MS      | 0                     | REQUEST_TIMEOUT_MS: must be an integer >= 1, got "0"
      ON_AUTH_FAILURE         | retry                 | ON_AUTH_FAILURE: must be hold or fail, got "retry"
      HTTP_PORT               | 65536                 | HTTP_PORT: must be an integer from 0 to 65535, got "65536"
      HTTP_PORT               | -1                    | HTTP_PORT: must be an integer from 0 to 65535, got "-1"
      SHUTDOWN_GRACE_MS       | -1                    | SHUTDOWN_GRACE_MS: must be an integer >= 0, got "-1"
      ORDERING                | random                | ORDERING: must be unordered or key, got "random"
      HOLD_AFTER_FAILURES     | -1                    | HOLD_AFTER_FAILURES: must be an integer >= 0, got "-1"
      RETRY_AFTER_MAX_MS      | soon                  | RETRY_AFTER_MAX_MS: must be an integer >= 0, got "soon"
      MAX_BUFFERED            | 10                    | MAX_BUFFERED: must be auto or an integer >= MAX_IN_FLIGHT (64), got "10"
      MAX_BUFFERED            | x                     | MAX_BUFFERED: must be auto or an integer >= 1, got "x"
      LOG_FORMAT              | xml                   | LOG_FORMAT: must be text or json, got "xml"
      STATUS_INTERVAL_MS      | -5                    | STATUS_INTERVAL_MS: must be an integer >= 0, got "-5"
      """)
  void rejectsABadValueNamingTheKeyAndWhatIsExpected(String key, String value, String message) {
    assertConfigError(() -> loadEnv(dir, env(key, value)), key, message.substring(key.length() + 2));
  }

  @Test
  void requiredEndpointMessageIsExact() {
    assertConfigError(() -> loadEnv(dir, Map.of()), "XC_ENDPOINT_URL", "required: the full URL of send_password_email");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> loadEnv(dir, Map.of()))
        .hasMessage("XC_ENDPOINT_URL: required: the full URL of send_password_email");
  }

  @Test
  void filesNamedBySettingsMustExist() {
    assertConfigError(() -> loadEnv(dir, env("XC_API_TOKEN_FILE", dir.resolve("missing").toString())), "XC_API_TOKEN_FILE", "file not found");
    assertConfigError(() -> loadEnv(dir, env("XC_CLIENT_P12", dir.resolve("missing.p12").toString())), "XC_CLIENT_P12", "file not found");
    assertConfigError(() -> loadEnv(dir, env("XC_CA_FILE", dir.resolve("missing.pem").toString())), "XC_CA_FILE", "file not found");
    assertConfigError(() -> loadEnv(dir, env("XC_CA_FILE", dir.toString())), "XC_CA_FILE", "must be a file, got the directory");
  }

  @Test
  void tokenAndTokenFileAreExclusive() {
    Path tokenFile = write(dir, "token", TOKEN);

    assertConfigError(() -> loadEnv(dir, env("XC_API_TOKEN", TOKEN, "XC_API_TOKEN_FILE", tokenFile.toString())),
        "XC_API_TOKEN", "set either XC_API_TOKEN or XC_API_TOKEN_FILE, not both");
  }

  @Test
  void p12PasswordNeedsTheP12File() {
    assertConfigError(() -> loadEnv(dir, env("XC_CLIENT_P12_PASSWORD", P12_PASSWORD)),
        "XC_CLIENT_P12_PASSWORD", "given without XC_CLIENT_P12");
  }

  @Test
  void loadsP12AndItsPasswordAndCaFile() {
    Path p12 = write(dir, "client.p12", "x");
    Path ca = write(dir, "ca.pem", "x");

    WorkerConfig c = loadEnv(dir, env("XC_CLIENT_P12", p12.toString(), "XC_CLIENT_P12_PASSWORD", P12_PASSWORD,
        "XC_CA_FILE", ca.toString())).config();

    assertThat(c.get(XC_CLIENT_P12)).contains(p12);
    assertThat(c.get(XC_CLIENT_P12_PASSWORD)).contains(P12_PASSWORD);
    assertThat(c.get(XC_CA_FILE)).contains(ca);
  }

  @Test
  void warnsWhenATokenWouldTravelOverPlainHttpToAnotherHost() {
    LoadedConfig remote = loadEnv(dir, env("XC_ENDPOINT_URL", "http://api.example.com/send", "XC_API_TOKEN", TOKEN));
    LoadedConfig local = loadEnv(dir, env("XC_ENDPOINT_URL", "http://127.0.0.1:8081/send", "XC_API_TOKEN", TOKEN));

    assertThat(remote.warnings()).singleElement().asString().contains("plain http").doesNotContain(TOKEN);
    assertThat(local.warnings()).isEmpty();
  }

  @Test
  void projectConfigFileLoadsAndHoldsTheDefaults() {
    Path projectFile = Path.of("conf/config.json");
    assertThat(projectFile).isRegularFile();

    // The file holds the contract's defaults, and so no endpoint: that one is required.
    assertConfigError(() -> ConfigLoader.load(List.of("--conf", projectFile.toString()), Map.of()),
        "XC_ENDPOINT_URL", "required");
    Map<String, String> env = Map.of("XC_ENDPOINT_URL", URL);
    LoadedConfig loaded = ConfigLoader.load(List.of("--conf", projectFile.toString()), env);
    LoadedConfig byDefault = ConfigLoader.load(List.of(), env);

    WorkerConfig expected = TestConfig.builder().with(XC_ENDPOINT_URL, URL).build();
    assertThat(loaded.config().describe()).isEqualTo(expected.describe());
    assertThat(loaded.warnings()).isEmpty();
    assertThat(byDefault.file()).contains(Path.of("conf/config.json"));
    assertThat(byDefault.config().describe()).isEqualTo(expected.describe());
  }

  @Test
  void projectConfigFileNamesEverySetting() throws Exception {
    String text = Files.readString(Path.of("conf/config.json"));

    for (Setting<?> s : Settings.ALL) {
      assertThat(text).contains("\"" + s.name() + "\"");
    }
  }

  private static void assertNoSecretIn(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call).message().doesNotContain(TOKEN);
  }
}
