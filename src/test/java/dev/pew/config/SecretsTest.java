package dev.pew.config;

import static dev.pew.config.Settings.*;
import static dev.pew.config.ConfigFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret values must never reach a log line, whatever is wrong with the configuration. */
class SecretsTest {

  @TempDir Path dir;

  private void assertRejectedWithout(Map<String, String> env, String key, String secret) {
    assertThatThrownBy(() -> loadEnv(dir, env))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
        .message().doesNotContain(secret);
  }

  @Test
  void tokenWithTheHeaderPrefixIsRejectedWithoutEchoingIt() {
    assertRejectedWithout(env("XC_API_TOKEN", "APIToken " + TOKEN), "XC_API_TOKEN", TOKEN);
  }

  @Test
  void tokenWithInnerSpacesIsRejectedWithoutEchoingIt() {
    assertRejectedWithout(env("XC_API_TOKEN", "tok 3f9c2b7e1d"), "XC_API_TOKEN", "3f9c2b7e1d");
  }

  @Test
  void tokenTogetherWithTokenFileIsRejectedWithoutEchoingIt() {
    Path file = write(dir, "t", "x");
    assertRejectedWithout(env("XC_API_TOKEN", TOKEN, "XC_API_TOKEN_FILE", file.toString()), "XC_API_TOKEN", TOKEN);
  }

  @Test
  void passwordWithoutP12IsRejectedWithoutEchoingIt() {
    assertRejectedWithout(env("XC_CLIENT_P12_PASSWORD", P12_PASSWORD), "XC_CLIENT_P12_PASSWORD", P12_PASSWORD);
  }

  @Test
  void credentialsInTheUrlAreRejectedAndMasked() {
    assertRejectedWithout(env("XC_ENDPOINT_URL", "https://user:url-pw-5@host.example/x"), "XC_ENDPOINT_URL", "url-pw-5");
    assertRejectedWithout(env("XC_ENDPOINT_URL", "https://user:url pw-5@host.example/x"), "XC_ENDPOINT_URL", "pw-5");
  }

  @Test
  void secretsInAValidConfigOnlyShowAsStars() {
    Path p12 = write(dir, "c.p12", "x");
    LoadedConfig loaded = loadEnv(dir, env("XC_API_TOKEN", TOKEN, "XC_CLIENT_P12", p12.toString(),
        "XC_CLIENT_P12_PASSWORD", P12_PASSWORD, "KAFKA_SASL_JAAS_CONFIG", JAAS));

    assertThat(loaded.config().describe())
        .contains("XC_API_TOKEN=***", "XC_CLIENT_P12_PASSWORD=***")
        .doesNotContain(TOKEN, P12_PASSWORD, "jaas-pw-77");
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void badFileSyntaxAroundASecretDoesNotQuoteTheFile() {
    write(dir, "conf/config.json", "{ \"XC_CLIENT_P12_PASSWORD\": '" + P12_PASSWORD + "' }");

    assertThatThrownBy(() -> ConfigLoader.load(List.of(), env(), dir))
        .isInstanceOf(ConfigException.class)
        .message().doesNotContain(P12_PASSWORD);
  }
}
