package dev.pew.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared inputs for the configuration tests. */
final class ConfigFixtures {

  static final String URL = "https://tenant.console.ves.volterra.io/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email";
  static final String TOKEN = "tok-3f9c2b7e1d";
  static final String P12_PASSWORD = "p12-pass-88aa";
  static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"jaas-pw-77\";";

  private ConfigFixtures() {}

  /** The smallest valid environment: the one required key. */
  static Map<String, String> env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("XC_ENDPOINT_URL", URL);
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  /** Loads with no config file at all (an empty working directory). */
  static LoadedConfig loadEnv(Path emptyDir, Map<String, String> env) {
    return ConfigLoader.load(List.of(), env, emptyDir);
  }

  static Path write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts a ConfigException with exactly this key, whose message starts with "KEY: " and contains {@code problemPart}. */
  static void assertConfigError(ThrowingCallable call, String key, String problemPart) {
    assertThatThrownBy(call)
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> {
          ConfigException ce = (ConfigException) e;
          org.assertj.core.api.Assertions.assertThat(ce.key()).isEqualTo(key);
          org.assertj.core.api.Assertions.assertThat(ce.getMessage())
              .startsWith(key + ": ")
              .contains(problemPart)
              .doesNotContain("\n");
        });
  }
}
