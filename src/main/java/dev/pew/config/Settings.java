package dev.pew.config;

import static dev.pew.config.Types.*;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the worker, each declared once, in the order of the start-up description,
 * README's table and {@code conf/config.json} (tests keep those two in step with this table).
 * Constants only; thread-safe.
 */
public final class Settings {

  public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      Setting.of("KAFKA_BOOTSTRAP_SERVERS", hostPorts(), "localhost:9092", "brokers");
  public static final Setting<String> KAFKA_GROUP_ID = Setting.of("KAFKA_GROUP_ID",
      text("the Kafka consumer group shared by all instances"), "password-email-worker",
      "consumer group: instances with the same id share the work");
  public static final Setting<IntakeMode> INTAKE = Setting.of("INTAKE", choice(IntakeMode.class), "group",
      "group: a Kafka consumer group (classic, or group.protocol=consumer); share: a Kafka share group "
      + "(KIP-932, brokers 4.2+), see \"Share-group intake\"");
  public static final Setting<String> TOPIC_INPUT = Setting.of("TOPIC_INPUT", topic(), "onboarding-events", "input");
  public static final Setting<String> TOPIC_SENT =
      Setting.of("TOPIC_SENT", topic(), "password-email-sent", "success results");
  public static final Setting<String> TOPIC_FAILED =
      Setting.of("TOPIC_FAILED", topic(), "password-email-failed", "failure results");
  public static final Setting<Optional<String>> TOPIC_DEAD_LETTER = Setting.of("TOPIC_DEAD_LETTER",
      optional(topic()), null, "raw copies of failed inputs, for replay; unset: off");
  public static final Setting<String> TOPIC_LEDGER = Setting.of("TOPIC_LEDGER", topic(), "password-email-ledger",
      "the record of successful sends (created when missing); see \"No second email\"");
  public static final Setting<Long> DEDUP_WINDOW_MS = Setting.of("DEDUP_WINDOW_MS", millisAtLeast(0), "86400000",
      "an eventId sent within this window is answered without a call when it is delivered again; 0: off");
  public static final Setting<URI> XC_ENDPOINT_URL =
      Setting.of("XC_ENDPOINT_URL", endpoint(), null, "full URL of send_password_email");
  public static final Setting<Optional<String>> XC_API_TOKEN = Setting.of("XC_API_TOKEN", optional(token()), null,
      "API token (or XC_API_TOKEN_FILE, not both)").asSecret();
  public static final Setting<Optional<Path>> XC_API_TOKEN_FILE = Setting.of("XC_API_TOKEN_FILE",
      optional(readableFile()), null, "file holding the API token, re-read when it changes");
  public static final Setting<Optional<Path>> XC_CLIENT_P12 = Setting.of("XC_CLIENT_P12",
      optional(readableFile()), null, "F5 API certificate (PKCS#12) for mutual TLS");
  public static final Setting<Optional<String>> XC_CLIENT_P12_PASSWORD = Setting.of("XC_CLIENT_P12_PASSWORD",
      optional(password()), null, "password of XC_CLIENT_P12").asSecret();
  public static final Setting<Optional<Path>> XC_CA_FILE = Setting.of("XC_CA_FILE", optional(readableFile()), null,
      "PEM CA certificates trusted for the API instead of the JDK's");
  public static final Setting<Integer> MAX_IN_FLIGHT = Setting.of("MAX_IN_FLIGHT", integer(1, 10_000), "64",
      "most calls outstanding at once, per instance");
  public static final Setting<Double> RATE_LIMIT_PER_SECOND = Setting.of("RATE_LIMIT_PER_SECOND", decimal(), "0",
      "most calls started per second, per instance; 0: no limit");
  public static final Setting<Integer> RATE_LIMIT_BURST = Setting.of("RATE_LIMIT_BURST", integerAtLeast(1), null,
      "calls that may start at once above the steady rate")
      .auto(c -> (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(c.get(RATE_LIMIT_PER_SECOND) / 10))),
          "max(1, ceil(RATE_LIMIT_PER_SECOND / 10))");
  public static final Setting<RateLimitScope> RATE_LIMIT_SCOPE = Setting.of("RATE_LIMIT_SCOPE",
      choice(RateLimitScope.class), "instance", "group: RATE_LIMIT_PER_SECOND and its burst are the whole group's limit");
  public static final Setting<String> TOPIC_CONTROL = Setting.of("TOPIC_CONTROL", topic(), "password-email-control",
      "where the instances of a group coordinate (created when missing); see \"Running a fleet\"");
  public static final Setting<Integer> MAX_BUFFERED = Setting.of("MAX_BUFFERED", integerAtLeast(1), null,
      "records read and not finished, per instance; intake pauses above it")
      .auto(c -> Math.max(2 * c.get(MAX_IN_FLIGHT), 100), "max(2 * MAX_IN_FLIGHT, 100)");
  public static final Setting<Integer> MAX_ATTEMPTS = Setting.of("MAX_ATTEMPTS", integer(1, 100), "5",
      "calls per event, first included (429s and calls while holding do not count)");
  public static final Setting<Long> BACKOFF_INITIAL_MS = Setting.of("BACKOFF_INITIAL_MS", millisAtLeast(1), "500",
      "retry backoff lower bound (also the hold's probe interval)");
  public static final Setting<Long> BACKOFF_MAX_MS = Setting.of("BACKOFF_MAX_MS", millisAtLeast(1), "30000",
      "retry backoff upper bound");
  public static final Setting<Long> REQUEST_TIMEOUT_MS = Setting.of("REQUEST_TIMEOUT_MS", millisAtLeast(1), "10000",
      "deadline of one call");
  public static final Setting<Long> RETRY_AFTER_MAX_MS = Setting.of("RETRY_AFTER_MAX_MS", millisAtLeast(0), "300000",
      "cap on an honoured Retry-After");
  public static final Setting<Integer> HOLD_AFTER_FAILURES = Setting.of("HOLD_AFTER_FAILURES", integerAtLeast(0),
      "5", "consecutive retryable failures (over several events) that make the worker hold; 0: never");
  public static final Setting<OnAuthFailure> ON_AUTH_FAILURE = Setting.of("ON_AUTH_FAILURE",
      choice(OnAuthFailure.class), "hold", "401/403: hold (stop and probe) or fail the event");
  public static final Setting<Ordering> ORDERING = Setting.of("ORDERING", choice(Ordering.class), "unordered",
      "key: records with the same key are called one at a time, in offset order");
  public static final Setting<Integer> HTTP_PORT = Setting.of("HTTP_PORT", integer(0, 65_535), "8080",
      "health and metrics; 0: an ephemeral port");
  public static final Setting<Long> SHUTDOWN_GRACE_MS = Setting.of("SHUTDOWN_GRACE_MS", millisAtLeast(0), "30000",
      "how long SIGTERM waits for calls in flight");
  public static final Setting<LogFormat> LOG_FORMAT = Setting.of("LOG_FORMAT", choice(LogFormat.class), "text",
      "text, or json: one JSON object per line");
  public static final Setting<Long> STATUS_INTERVAL_MS = Setting.of("STATUS_INTERVAL_MS", millisAtLeast(0), "30000",
      "period of the status log line; 0: off");

  /** All of them, in order. */
  public static final List<Setting<?>> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_GROUP_ID, INTAKE, TOPIC_INPUT, TOPIC_SENT,
      TOPIC_FAILED, TOPIC_DEAD_LETTER, TOPIC_LEDGER, DEDUP_WINDOW_MS, XC_ENDPOINT_URL, XC_API_TOKEN, XC_API_TOKEN_FILE, XC_CLIENT_P12,
      XC_CLIENT_P12_PASSWORD, XC_CA_FILE, MAX_IN_FLIGHT, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, RATE_LIMIT_SCOPE,
      TOPIC_CONTROL, MAX_BUFFERED,
      MAX_ATTEMPTS, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, REQUEST_TIMEOUT_MS, RETRY_AFTER_MAX_MS, HOLD_AFTER_FAILURES,
      ON_AUTH_FAILURE, ORDERING, HTTP_PORT, SHUTDOWN_GRACE_MS, LOG_FORMAT, STATUS_INTERVAL_MS);

  private Settings() {}

  /** The setting of that name, if any. */
  public static Optional<Setting<?>> named(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
