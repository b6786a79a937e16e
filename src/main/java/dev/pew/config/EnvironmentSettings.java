package dev.pew.config;

import static dev.pew.config.ConfigKeys.*;

import dev.pew.config.KafkaClientProperties.Section;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads settings from environment variables: exactly the keys of {@link ConfigKeys#ALL}, plus
 * Kafka client properties as {@code KAFKA_CONSUMER_<NAME>}, {@code KAFKA_PRODUCER_<NAME>} and any
 * other {@code KAFKA_<NAME>} ({@code KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}).
 *
 * <p>An empty variable counts as unset (so {@code FOO=${FOO}} in a compose file does not
 * override anything). The environment is shared with other tools, so a {@code KAFKA_} variable
 * that names no Kafka client property ({@code KAFKA_HOME}, {@code KAFKA_OPTS}) is skipped with a
 * warning rather than stopping start-up. Stateless and thread-safe.
 */
final class EnvironmentSettings {

  private static final String KAFKA_PREFIX = "KAFKA_";
  private static final String CONSUMER_PREFIX = "KAFKA_CONSUMER_";
  private static final String PRODUCER_PREFIX = "KAFKA_PRODUCER_";

  private EnvironmentSettings() {}

  /** The settings in {@code env}; skipped variables are explained in {@code warnings}. */
  static RawSettings read(Map<String, String> env, List<String> warnings) {
    RawSettings raw = new RawSettings();
    // Sorted so the warnings come out in a stable order.
    new TreeMap<>(env).forEach((name, value) -> {
      if (value == null || value.isEmpty()) {
        return;
      }
      if (ALL.contains(name)) {
        raw.put(name, value);
      } else if (name.startsWith(KAFKA_PREFIX)) {
        readKafka(raw, name, value, warnings);
      }
    });
    return raw;
  }

  private static void readKafka(RawSettings raw, String variable, String value, List<String> warnings) {
    Section section;
    String suffix;
    if (variable.startsWith(CONSUMER_PREFIX)) {
      section = Section.CONSUMER;
      suffix = variable.substring(CONSUMER_PREFIX.length());
    } else if (variable.startsWith(PRODUCER_PREFIX)) {
      section = Section.PRODUCER;
      suffix = variable.substring(PRODUCER_PREFIX.length());
    } else {
      section = Section.COMMON;
      suffix = variable.substring(KAFKA_PREFIX.length());
    }
    String property = kafkaPropertyName(suffix);
    // Managed names (KAFKA_ENABLE_AUTO_COMMIT, KAFKA_PRODUCER_GROUP_ID) go through to fail with a
    // clear error: whoever set them meant the worker.
    boolean meant = section.knows(property) || KafkaClientProperties.managedProblem(property, value).isPresent();
    if (suffix.isEmpty() || !meant) {
      warnings.add("ignoring environment variable " + variable + ": \"" + property + "\" is not a Kafka "
          + sectionNoun(section) + " property");
      return;
    }
    raw.kafka(section).put(property, value);
  }

  /** {@code SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}. */
  static String kafkaPropertyName(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String sectionNoun(Section section) {
    return switch (section) {
      case COMMON -> "client";
      case CONSUMER -> "consumer";
      case PRODUCER -> "producer";
    };
  }
}
