package dev.pew.config;

import dev.pew.kafka.KafkaClients;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link WorkerConfig} in tests: settings as text, the same way the environment gives
 * them, checked by the same code. Not thread-safe.
 */
public final class TestConfig {

  private final Map<String, String> text = new HashMap<>();
  private final KafkaClients.Sections kafka = new KafkaClients.Sections();

  private TestConfig() {}

  /** Defaults only (the endpoint, which is required, still has to be given). */
  public static TestConfig builder() {
    return new TestConfig();
  }

  /** Sets a setting; {@code null} unsets it (its default applies). */
  public TestConfig with(Setting<?> setting, Object value) {
    if (value == null) {
      text.remove(setting.name());
    } else {
      text.put(setting.name(), String.valueOf(value));
    }
    return this;
  }

  /** Replaces one section of Kafka pass-through properties. */
  public TestConfig kafka(KafkaClients.Section section, Map<String, String> properties) {
    kafka.get(section).clear();
    kafka.get(section).putAll(properties);
    return this;
  }

  public TestConfig kafkaConsumer(Map<String, String> properties) {
    return kafka(KafkaClients.Section.CONSUMER, properties);
  }

  public TestConfig copy() {
    TestConfig c = new TestConfig();
    c.text.putAll(text);
    kafka.forEach((section, props) -> c.kafka.get(section).putAll(props));
    return c;
  }

  /** The pass-through properties of one section, as {@code config} holds them (read from its description's source). */
  public static Map<String, String> section(WorkerConfig config, KafkaClients.Section section) {
    Map<String, String> out = new java.util.TreeMap<>();
    config.kafka().sections().forEach((key, value) -> {
      if (key.startsWith(section.prefix() + ".")) {
        out.put(key.substring(section.prefix().length() + 1), value);
      }
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  /** @throws ConfigException as the loader would */
  public WorkerConfig build() {
    return new WorkerConfig(new HashMap<>(text), copy().kafka);
  }
}
