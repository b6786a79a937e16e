package dev.pew.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real start command refuses a bad configuration with exit code 2 and one line naming the key. */
class StartupConfigErrorIT {

  private static final String URL = "http://127.0.0.1:9/no_auth/send_password_email";

  @TempDir
  Path dir;

  @Test
  void exitsWithCode2WhenTheEndpointIsMissing() {
    String out = runExpectingExit2(Map.of());
    assertThat(out).contains("XC_ENDPOINT_URL").contains("required");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "MAX_IN_FLIGHT, 0",
      "MAX_IN_FLIGHT, lots",
      "RATE_LIMIT_PER_SECOND, -1",
      "MAX_ATTEMPTS, 0",
      "BACKOFF_INITIAL_MS, 0",
      "REQUEST_TIMEOUT_MS, -5",
      "ON_AUTH_FAILURE, retry",
      "XC_ENDPOINT_URL, not a url",
      "XC_ENDPOINT_URL, ftp://host/x",
      "HTTP_PORT, 70000",
  })
  void exitsWithCode2NamingTheKeyOfABadValue(String key, String value) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("XC_ENDPOINT_URL", URL));
    env.put(key, value);
    String out = runExpectingExit2(env);
    assertThat(out.strip().lines().filter(l -> l.contains("configuration error"))).singleElement()
        .satisfies(line -> assertThat(line).contains(key));
  }

  @Test
  void exitsWithCode2WhenTheConsumerProtocolMeetsAClassicOnlySetting() {
    String out = runExpectingExit2(Map.of("XC_ENDPOINT_URL", URL, "KAFKA_CONSUMER_GROUP_PROTOCOL", "consumer",
        "KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000"));
    assertThat(out.strip().lines().filter(l -> l.contains("configuration error"))).singleElement()
        .satisfies(line -> assertThat(line).contains("kafka.consumer.session.timeout.ms").contains("group.protocol=consumer"));
  }

  @Test
  void exitsWithCode2WhenOrderingByKeyMeetsAShareGroup() {
    String out = runExpectingExit2(Map.of("XC_ENDPOINT_URL", URL, "INTAKE", "share", "ORDERING", "key"));
    assertThat(out.strip().lines().filter(l -> l.contains("configuration error"))).singleElement()
        .satisfies(line -> assertThat(line).contains("ORDERING").contains("INTAKE=share"));
  }

  @Test
  void neverPrintsTheSecretOfABadConfiguration() {
    String out = runExpectingExit2(Map.of("XC_ENDPOINT_URL", URL, "XC_API_TOKEN", "s3cret-token-value", "MAX_IN_FLIGHT", "0"));
    assertThat(out).doesNotContain("s3cret-token-value");
  }

  @Test
  void exitsWithCode2WhenTheNamedConfigFileIsMissing() {
    String out = runExpectingExit2(Map.of("XC_ENDPOINT_URL", URL), "--conf", dir.resolve("nope.json").toString());
    assertThat(out).contains("--conf");
  }

  private String runExpectingExit2(Map<String, String> env, String... args) {
    Path log = dir.resolve("worker-" + System.nanoTime() + ".log");
    try (WorkerProcess p = WorkerProcess.start(env, log, args)) {
      int code = p.waitFor(Duration.ofSeconds(30));
      String out = p.output();
      assertThat(code).as(out).isEqualTo(2);
      return out;
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (java.io.IOException ignored) {
        // temp dir goes anyway
      }
    }
  }
}
