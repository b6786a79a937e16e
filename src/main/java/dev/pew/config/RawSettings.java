package dev.pew.config;

import static dev.pew.config.ConfigKeys.*;

import dev.pew.config.KafkaClientProperties.Section;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings as text, from one source (the config file or the environment) before they are typed
 * and validated, so layers can be merged first and a bad value that a later layer replaces does
 * not stop start-up. Not thread-safe: confine to the loading thread.
 */
final class RawSettings {

  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Map<Section, Map<String, String>> kafka = new EnumMap<>(Section.class);

  RawSettings() {
    for (Section section : Section.values()) {
      kafka.put(section, new LinkedHashMap<>());
    }
  }

  void put(String key, String raw) {
    settings.put(key, raw);
  }

  Map<String, String> kafka(Section section) {
    return kafka.get(section);
  }

  /** A new set holding these settings with {@code later}'s on top, property by property. */
  RawSettings overriddenBy(RawSettings later) {
    RawSettings merged = new RawSettings();
    merged.settings.putAll(settings);
    merged.settings.putAll(later.settings);
    for (Section section : Section.values()) {
      merged.kafka(section).putAll(kafka(section));
      merged.kafka(section).putAll(later.kafka(section));
    }
    return merged;
  }

  /** Types every setting onto {@code builder}; throws {@link ConfigException} for bad text. */
  void applyTo(WorkerConfig.Builder builder) {
    settings.forEach((key, raw) -> apply(builder, key, raw));
    builder.kafkaCommon(kafka(Section.COMMON));
    builder.kafkaConsumer(kafka(Section.CONSUMER));
    builder.kafkaProducer(kafka(Section.PRODUCER));
  }

  /** Blank text unsets optional settings; required ones get it and fail in build(). */
  private static void apply(WorkerConfig.Builder b, String key, String raw) {
    switch (key) {
      case KAFKA_BOOTSTRAP_SERVERS -> b.kafkaBootstrapServers(raw);
      case KAFKA_GROUP_ID -> b.kafkaGroupId(raw);
      case TOPIC_INPUT -> b.topicInput(raw);
      case TOPIC_SENT -> b.topicSent(raw);
      case TOPIC_FAILED -> b.topicFailed(raw);
      case TOPIC_DEAD_LETTER -> b.topicDeadLetter(raw);
      case XC_ENDPOINT_URL -> b.xcEndpointUrl(raw);
      case XC_API_TOKEN -> b.xcApiToken(raw);
      case XC_API_TOKEN_FILE -> b.xcApiTokenFile(optionalPath(key, raw));
      case XC_CLIENT_P12 -> b.xcClientP12(optionalPath(key, raw));
      // Not stripped: a password of blanks is still a password.
      case XC_CLIENT_P12_PASSWORD -> b.xcClientP12Password(raw);
      case XC_CA_FILE -> b.xcCaFile(optionalPath(key, raw));
      case MAX_IN_FLIGHT -> b.maxInFlight(Values.parseInt(key, raw, WorkerConfig.MAX_IN_FLIGHT_RANGE));
      case RATE_LIMIT_PER_SECOND -> b.rateLimitPerSecond(Values.parseNonNegativeDecimal(key, raw));
      case RATE_LIMIT_BURST -> {
        if (Values.isAuto(raw)) {
          b.rateLimitBurstAuto();
        } else {
          b.rateLimitBurst(Values.parseInt(key, raw, WorkerConfig.RATE_LIMIT_BURST_RANGE));
        }
      }
      case MAX_ATTEMPTS -> b.maxAttempts(Values.parseInt(key, raw, WorkerConfig.MAX_ATTEMPTS_RANGE));
      case BACKOFF_INITIAL_MS -> b.backoffInitialMs(Values.parseLong(key, raw, WorkerConfig.BACKOFF_RANGE));
      case BACKOFF_MAX_MS -> b.backoffMaxMs(Values.parseLong(key, raw, WorkerConfig.BACKOFF_RANGE));
      case REQUEST_TIMEOUT_MS -> b.requestTimeoutMs(Values.parseLong(key, raw, WorkerConfig.REQUEST_TIMEOUT_RANGE));
      case ON_AUTH_FAILURE -> b.onAuthFailure(Values.parseEnum(key, raw, OnAuthFailure.class));
      case HTTP_PORT -> b.httpPort(Values.parseInt(key, raw, WorkerConfig.HTTP_PORT_RANGE));
      case SHUTDOWN_GRACE_MS -> b.shutdownGraceMs(Values.parseLong(key, raw, WorkerConfig.SHUTDOWN_GRACE_RANGE));
      case ORDERING -> b.ordering(Values.parseEnum(key, raw, Ordering.class));
      case HOLD_AFTER_FAILURES ->
          b.holdAfterFailures(Values.parseInt(key, raw, WorkerConfig.HOLD_AFTER_FAILURES_RANGE));
      case RETRY_AFTER_MAX_MS -> b.retryAfterMaxMs(Values.parseLong(key, raw, WorkerConfig.RETRY_AFTER_MAX_RANGE));
      case MAX_BUFFERED -> {
        if (Values.isAuto(raw)) {
          b.maxBufferedAuto();
        } else {
          b.maxBuffered(Values.parseInt(key, raw, WorkerConfig.MAX_BUFFERED_RANGE));
        }
      }
      case LOG_FORMAT -> b.logFormat(Values.parseEnum(key, raw, LogFormat.class));
      case STATUS_INTERVAL_MS -> b.statusIntervalMs(Values.parseLong(key, raw, WorkerConfig.STATUS_INTERVAL_RANGE));
      default -> throw new IllegalArgumentException("not a setting: " + key);
    }
  }

  private static java.nio.file.Path optionalPath(String key, String raw) {
    return Values.isBlank(raw) ? null : Values.parsePath(key, raw);
  }
}
