package dev.pew.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's settings table and {@code conf/config.json} follow from {@link Settings}: this test
 * fails when either disagrees with the declarations. To bring them in step after changing a
 * setting: {@code mvn -q -Dtest=SettingsDocTest -Dpew.regenerate=true test}.
 */
class SettingsDocTest {

  private static final Path README = Path.of("README.md");
  private static final Path CONFIG_JSON = Path.of("conf", "config.json");
  static final String BEGIN = "<!-- settings: generated from dev.pew.config.Settings by SettingsDocTest -->";
  static final String END = "<!-- settings: end -->";

  /** The README table: one row per setting. */
  static String readmeTable() {
    StringBuilder t = new StringBuilder("| env | type | default | meaning |\n|---|---|---|---|\n");
    for (Setting<?> s : Settings.ALL) {
      t.append("| `").append(s.name()).append("` | ").append(s.type().doc()).append(" | ")
          .append(code(defaultDoc(s))).append(" | ").append(s.doc())
          .append(s.secret() ? " (secret: never printed)" : "").append(" |\n");
    }
    return t.toString();
  }

  /** The default as README states it: the text, {@code auto = formula}, {@code required} or {@code unset}. */
  static String defaultDoc(Setting<?> s) {
    return s.isAuto() ? "auto = " + s.formula() : s.defaultText() != null ? s.defaultText()
        : s.type().optional() ? "unset" : "required";
  }

  private static String code(String defaultDoc) {
    return defaultDoc.equals("required") || defaultDoc.equals("unset") ? defaultDoc : "`" + defaultDoc + "`";
  }

  /** {@code conf/config.json}: every setting at its default, documented, and the Kafka sections. */
  static String configJson() {
    StringBuilder j = new StringBuilder("""
        // password-email-worker configuration: the built-in defaults, written out (generated from
        // dev.pew.config.Settings; README's configuration table has the same lines).
        // Order, last wins: built-in defaults < this file (or --conf FILE / CONFIG_FILE) < environment variables
        // of the same name. null = unset. Keys starting with "_" are ignored; any other unknown key is an error.
        // XC_ENDPOINT_URL is required: set it here or in the environment, e.g.
        // https://<tenant>.console.ves.volterra.io/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email
        {
        """);
    for (Setting<?> s : Settings.ALL) {
      String value = s.defaultText() == null ? "null"
          : s.type().numeric() && !s.isAuto() ? s.defaultText() : "\"" + s.defaultText() + "\"";
      j.append(String.format("  %-30s // %s%s%n", "\"" + s.name() + "\": " + value + ",", s.doc(),
          s.isAuto() ? "; auto = " + defaultDoc(s).substring("auto = ".length()) : ""));
    }
    j.append("""
          // Plain Kafka client properties (security, SASL, TLS), e.g. {"security.protocol": "SASL_SSL"}.
          // The worker sets bootstrap.servers, group.id, serializers, enable.auto.commit, acks=all and idempotence.
          "kafka.common": {},
          "kafka.consumer": {},
          "kafka.producer": {}
        }
        """);
    return j.toString();
  }

  private static String readmeWithTable(String readme) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("README.md lacks the markers " + BEGIN + " ... " + END);
    }
    return readme.substring(0, begin + BEGIN.length()) + "\n" + readmeTable() + readme.substring(end);
  }

  @Test
  void readmeTableIsTheSettingsTable() throws IOException {
    String readme = Files.readString(README);
    if (Boolean.getBoolean("pew.regenerate")) {
      Files.writeString(README, readmeWithTable(readme));
      readme = Files.readString(README);
    }
    assertThat(readme).as("README.md settings table (regenerate: see this test's Javadoc)").isEqualTo(readmeWithTable(readme));
  }

  @Test
  void configJsonIsTheSettingsTableAtItsDefaults() throws IOException {
    if (Boolean.getBoolean("pew.regenerate")) {
      Files.writeString(CONFIG_JSON, configJson());
    }
    assertThat(Files.readString(CONFIG_JSON)).as("conf/config.json (regenerate: see this test's Javadoc)").isEqualTo(configJson());
  }

  @Test
  void configJsonLoadsToTheDefaults() {
    WorkerConfig fromFile = ConfigLoader.load(List.of("--conf", CONFIG_JSON.toString()), Map.of("XC_ENDPOINT_URL", "https://h/x")).config();
    WorkerConfig defaults = TestConfig.builder().with(Settings.XC_ENDPOINT_URL, "https://h/x").build();

    assertThat(fromFile.describe()).isEqualTo(defaults.describe());
  }

  @Test
  void everySettingIsDocumentedOnOneLine() {
    for (Setting<?> s : Settings.ALL) {
      assertThat(s.doc()).as(s.name()).isNotBlank().doesNotContain("\n", "|");
      assertThat(s.type().doc()).as(s.name()).isNotBlank().doesNotContain("|");
      assertThat(s.name()).matches("[A-Z][A-Z0-9_]*");
    }
    assertThat(Settings.ALL).extracting(Setting::name).doesNotHaveDuplicates();
  }
}
