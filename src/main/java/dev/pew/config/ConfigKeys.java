package dev.pew.config;

import java.util.List;
import java.util.Set;

/**
 * The names of the worker's settings: each is both an environment variable and a top-level key of
 * the config file. Constants only; thread-safe.
 */
final class ConfigKeys {

  static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  static final String KAFKA_GROUP_ID = "KAFKA_GROUP_ID";
  static final String TOPIC_INPUT = "TOPIC_INPUT";
  static final String TOPIC_SENT = "TOPIC_SENT";
  static final String TOPIC_FAILED = "TOPIC_FAILED";
  static final String TOPIC_DEAD_LETTER = "TOPIC_DEAD_LETTER";
  static final String XC_ENDPOINT_URL = "XC_ENDPOINT_URL";
  static final String XC_API_TOKEN = "XC_API_TOKEN";
  static final String XC_API_TOKEN_FILE = "XC_API_TOKEN_FILE";
  static final String XC_CLIENT_P12 = "XC_CLIENT_P12";
  static final String XC_CLIENT_P12_PASSWORD = "XC_CLIENT_P12_PASSWORD";
  static final String XC_CA_FILE = "XC_CA_FILE";
  static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";
  static final String RATE_LIMIT_PER_SECOND = "RATE_LIMIT_PER_SECOND";
  static final String RATE_LIMIT_BURST = "RATE_LIMIT_BURST";
  static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
  static final String BACKOFF_INITIAL_MS = "BACKOFF_INITIAL_MS";
  static final String BACKOFF_MAX_MS = "BACKOFF_MAX_MS";
  static final String REQUEST_TIMEOUT_MS = "REQUEST_TIMEOUT_MS";
  static final String ON_AUTH_FAILURE = "ON_AUTH_FAILURE";
  static final String HTTP_PORT = "HTTP_PORT";
  static final String SHUTDOWN_GRACE_MS = "SHUTDOWN_GRACE_MS";
  static final String ORDERING = "ORDERING";
  static final String HOLD_AFTER_FAILURES = "HOLD_AFTER_FAILURES";
  static final String RETRY_AFTER_MAX_MS = "RETRY_AFTER_MAX_MS";
  static final String MAX_BUFFERED = "MAX_BUFFERED";
  static final String LOG_FORMAT = "LOG_FORMAT";
  static final String STATUS_INTERVAL_MS = "STATUS_INTERVAL_MS";

  /** Every setting, in the order of describe(), toJson() and the documentation. */
  static final List<String> ALL = List.of(
      KAFKA_BOOTSTRAP_SERVERS, KAFKA_GROUP_ID,
      TOPIC_INPUT, TOPIC_SENT, TOPIC_FAILED, TOPIC_DEAD_LETTER,
      XC_ENDPOINT_URL, XC_API_TOKEN, XC_API_TOKEN_FILE, XC_CLIENT_P12, XC_CLIENT_P12_PASSWORD, XC_CA_FILE,
      MAX_IN_FLIGHT, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST,
      MAX_ATTEMPTS, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, REQUEST_TIMEOUT_MS,
      ON_AUTH_FAILURE, HTTP_PORT, SHUTDOWN_GRACE_MS,
      ORDERING, HOLD_AFTER_FAILURES, RETRY_AFTER_MAX_MS, MAX_BUFFERED,
      LOG_FORMAT, STATUS_INTERVAL_MS);

  /** Settings whose value must never be printed. */
  static final Set<String> SECRETS = Set.of(XC_API_TOKEN, XC_CLIENT_P12_PASSWORD);

  /** Config-file objects holding Kafka client properties; {@code "kafka": {...}} is the nested form. */
  static final String KAFKA_COMMON = "kafka.common";
  static final String KAFKA_CONSUMER = "kafka.consumer";
  static final String KAFKA_PRODUCER = "kafka.producer";
  static final String KAFKA_NESTED = "kafka";

  /** Value of RATE_LIMIT_BURST and MAX_BUFFERED meaning "derive it from the other settings". */
  static final String AUTO = "auto";

  private ConfigKeys() {}
}
