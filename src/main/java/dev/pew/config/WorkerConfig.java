package dev.pew.config;

import static dev.pew.config.ConfigKeys.*;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The worker's validated configuration: every value is in range and consistent with the others
 * (see the contract's configuration section and {@code conf/config.json}). Obtain one from
 * {@link ConfigLoader#load}, {@link #fromJson} or {@link #builder()}; {@link Builder#build()}
 * validates and throws {@link ConfigException} naming the first bad key.
 *
 * <p>{@link #toString()} and {@link #describe()} never contain a secret. {@link #toJson()} does
 * (it is meant for handing the configuration to a verticle): never log it.
 *
 * <p>Immutable and thread-safe.
 */
public final class WorkerConfig {

  static final Range MAX_IN_FLIGHT_RANGE = Range.of(1, 10_000);
  static final Range RATE_LIMIT_BURST_RANGE = Range.atLeastInt(1).orAuto();
  static final Range MAX_ATTEMPTS_RANGE = Range.of(1, 100);
  static final Range BACKOFF_RANGE = Range.atLeastLong(1);
  static final Range REQUEST_TIMEOUT_RANGE = Range.atLeastLong(1);
  static final Range HTTP_PORT_RANGE = Range.of(0, 65_535);
  static final Range SHUTDOWN_GRACE_RANGE = Range.atLeastLong(0);
  static final Range HOLD_AFTER_FAILURES_RANGE = Range.atLeastInt(0);
  static final Range RETRY_AFTER_MAX_RANGE = Range.atLeastLong(0);
  /** Only the syntax; build() also requires at least MAX_IN_FLIGHT. */
  static final Range MAX_BUFFERED_RANGE = Range.atLeastInt(1).orAuto();
  static final Range STATUS_INTERVAL_RANGE = Range.atLeastLong(0);

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.%]+\\]|[a-zA-Z0-9._-]+):([0-9]{1,5})");
  private static final String API_TOKEN_PREFIX = "APIToken ";

  private final String kafkaBootstrapServers;
  private final String kafkaGroupId;
  private final String topicInput;
  private final String topicSent;
  private final String topicFailed;
  private final String topicDeadLetter;
  private final URI xcEndpointUrl;
  private final String xcApiToken;
  private final Path xcApiTokenFile;
  private final Path xcClientP12;
  private final String xcClientP12Password;
  private final Path xcCaFile;
  private final int maxInFlight;
  private final double rateLimitPerSecond;
  private final Integer rateLimitBurstSetting;
  private final int rateLimitBurst;
  private final int maxAttempts;
  private final long backoffInitialMs;
  private final long backoffMaxMs;
  private final long requestTimeoutMs;
  private final OnAuthFailure onAuthFailure;
  private final int httpPort;
  private final long shutdownGraceMs;
  private final Ordering ordering;
  private final int holdAfterFailures;
  private final long retryAfterMaxMs;
  private final Integer maxBufferedSetting;
  private final int maxBuffered;
  private final LogFormat logFormat;
  private final long statusIntervalMs;
  private final Map<String, String> kafkaCommon;
  private final Map<String, String> kafkaConsumer;
  private final Map<String, String> kafkaProducer;

  private WorkerConfig(Builder b, URI endpoint, String token) {
    this.kafkaBootstrapServers = normalizeList(b.kafkaBootstrapServers);
    this.kafkaGroupId = b.kafkaGroupId.strip();
    this.topicInput = b.topicInput.strip();
    this.topicSent = b.topicSent.strip();
    this.topicFailed = b.topicFailed.strip();
    this.topicDeadLetter = Values.isBlank(b.topicDeadLetter) ? null : b.topicDeadLetter.strip();
    this.xcEndpointUrl = endpoint;
    this.xcApiToken = token;
    this.xcApiTokenFile = b.xcApiTokenFile;
    this.xcClientP12 = b.xcClientP12;
    // "" and unset mean the same (an empty password); one spelling keeps equals() and toJson() simple.
    this.xcClientP12Password = b.xcClientP12Password == null || b.xcClientP12Password.isEmpty() ? null : b.xcClientP12Password;
    this.xcCaFile = b.xcCaFile;
    this.maxInFlight = b.maxInFlight;
    this.rateLimitPerSecond = b.rateLimitPerSecond;
    this.rateLimitBurstSetting = b.rateLimitBurst;
    this.rateLimitBurst = b.rateLimitBurst != null ? b.rateLimitBurst : autoBurst(b.rateLimitPerSecond);
    this.maxAttempts = b.maxAttempts;
    this.backoffInitialMs = b.backoffInitialMs;
    this.backoffMaxMs = b.backoffMaxMs;
    this.requestTimeoutMs = b.requestTimeoutMs;
    this.onAuthFailure = b.onAuthFailure;
    this.httpPort = b.httpPort;
    this.shutdownGraceMs = b.shutdownGraceMs;
    this.ordering = b.ordering;
    this.holdAfterFailures = b.holdAfterFailures;
    this.retryAfterMaxMs = b.retryAfterMaxMs;
    this.maxBufferedSetting = b.maxBuffered;
    this.maxBuffered = b.maxBuffered != null ? b.maxBuffered : autoMaxBuffered(b.maxInFlight);
    this.logFormat = b.logFormat;
    this.statusIntervalMs = b.statusIntervalMs;
    this.kafkaCommon = sorted(b.kafkaCommon);
    this.kafkaConsumer = sorted(b.kafkaConsumer);
    this.kafkaProducer = sorted(b.kafkaProducer);
  }

  /** A builder holding the contract's defaults; {@code XC_ENDPOINT_URL} is unset (required). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration; {@code auto} settings stay {@code auto}. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kafkaBootstrapServers = kafkaBootstrapServers;
    b.kafkaGroupId = kafkaGroupId;
    b.topicInput = topicInput;
    b.topicSent = topicSent;
    b.topicFailed = topicFailed;
    b.topicDeadLetter = topicDeadLetter;
    b.xcEndpointUrl = xcEndpointUrl.toString();
    b.xcApiToken = xcApiToken;
    b.xcApiTokenFile = xcApiTokenFile;
    b.xcClientP12 = xcClientP12;
    b.xcClientP12Password = xcClientP12Password;
    b.xcCaFile = xcCaFile;
    b.maxInFlight = maxInFlight;
    b.rateLimitPerSecond = rateLimitPerSecond;
    b.rateLimitBurst = rateLimitBurstSetting;
    b.maxAttempts = maxAttempts;
    b.backoffInitialMs = backoffInitialMs;
    b.backoffMaxMs = backoffMaxMs;
    b.requestTimeoutMs = requestTimeoutMs;
    b.onAuthFailure = onAuthFailure;
    b.httpPort = httpPort;
    b.shutdownGraceMs = shutdownGraceMs;
    b.ordering = ordering;
    b.holdAfterFailures = holdAfterFailures;
    b.retryAfterMaxMs = retryAfterMaxMs;
    b.maxBuffered = maxBufferedSetting;
    b.logFormat = logFormat;
    b.statusIntervalMs = statusIntervalMs;
    b.kafkaCommon = new LinkedHashMap<>(kafkaCommon);
    b.kafkaConsumer = new LinkedHashMap<>(kafkaConsumer);
    b.kafkaProducer = new LinkedHashMap<>(kafkaProducer);
    return b;
  }

  /** Comma-separated {@code host:port} list, blanks around entries removed. */
  public String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  public String kafkaGroupId() {
    return kafkaGroupId;
  }

  public String topicInput() {
    return topicInput;
  }

  public String topicSent() {
    return topicSent;
  }

  public String topicFailed() {
    return topicFailed;
  }

  /** Empty when dead-lettering is off. */
  public Optional<String> topicDeadLetter() {
    return Optional.ofNullable(topicDeadLetter);
  }

  /** Absolute http or https URL with a host and without user info. */
  public URI xcEndpointUrl() {
    return xcEndpointUrl;
  }

  /** The API token given directly (surrounding blanks removed); at most one of this and the file. */
  public Optional<String> xcApiToken() {
    return Optional.ofNullable(xcApiToken);
  }

  /** A file holding the token; it existed and was readable at validation time. */
  public Optional<Path> xcApiTokenFile() {
    return Optional.ofNullable(xcApiTokenFile);
  }

  /** PKCS#12 client certificate for mutual TLS; it existed and was readable at validation time. */
  public Optional<Path> xcClientP12() {
    return Optional.ofNullable(xcClientP12);
  }

  /**
   * The PKCS#12 password: present exactly when {@link #xcClientP12()} is, and empty text when
   * the file was given without a password.
   */
  public Optional<String> xcClientP12Password() {
    if (xcClientP12 == null) {
      return Optional.empty();
    }
    return Optional.of(xcClientP12Password == null ? "" : xcClientP12Password);
  }

  /** PEM file of CA certificates trusted for the API instead of the JDK's. */
  public Optional<Path> xcCaFile() {
    return Optional.ofNullable(xcCaFile);
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** Calls started per second per instance; 0 means no limit. */
  public double rateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  /** The effective burst: the configured one, or {@code max(1, ceil(rate / 10))} when auto. */
  public int rateLimitBurst() {
    return rateLimitBurst;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public long backoffInitialMs() {
    return backoffInitialMs;
  }

  /** Never less than {@link #backoffInitialMs()}. */
  public long backoffMaxMs() {
    return backoffMaxMs;
  }

  public long requestTimeoutMs() {
    return requestTimeoutMs;
  }

  public OnAuthFailure onAuthFailure() {
    return onAuthFailure;
  }

  /** 0 means an ephemeral port (tests). */
  public int httpPort() {
    return httpPort;
  }

  public long shutdownGraceMs() {
    return shutdownGraceMs;
  }

  public Ordering ordering() {
    return ordering;
  }

  /** Consecutive retryable failures after which the worker holds; 0 means never. */
  public int holdAfterFailures() {
    return holdAfterFailures;
  }

  /** Cap on an honoured Retry-After. */
  public long retryAfterMaxMs() {
    return retryAfterMaxMs;
  }

  /**
   * The effective limit of records read and not yet finished per instance: the configured one, or
   * {@code max(2 * MAX_IN_FLIGHT, 100)} when auto. Never less than {@link #maxInFlight()}.
   */
  public int maxBuffered() {
    return maxBuffered;
  }

  public LogFormat logFormat() {
    return logFormat;
  }

  /** Period of the status log line; 0 means off. */
  public long statusIntervalMs() {
    return statusIntervalMs;
  }

  /**
   * Client properties for both the consumer and the producer, sorted by name. A name may be known
   * to only one of the two clients: filter with {@code ConsumerConfig.configNames()} /
   * {@code ProducerConfig.configNames()} before merging if unused-property warnings matter.
   */
  public Map<String, String> kafkaCommon() {
    return kafkaCommon;
  }

  /** Consumer-only client properties, sorted by name; they win over {@link #kafkaCommon()}. */
  public Map<String, String> kafkaConsumer() {
    return kafkaConsumer;
  }

  /** Producer-only client properties, sorted by name; they win over {@link #kafkaCommon()}. */
  public Map<String, String> kafkaProducer() {
    return kafkaProducer;
  }

  /**
   * One line {@code KEY=value ...} for the start-up log: every setting (unset ones as
   * {@code (unset)}, auto ones as {@code 128(auto)}) and every Kafka property as
   * {@code kafka.common.security.protocol=SASL_SSL}. Secrets are shown as {@code ***}.
   */
  public String describe() {
    StringBuilder line = new StringBuilder();
    jsonValues().forEach((key, value) -> {
      String text;
      if (value == null) {
        text = "(unset)";
      } else if (SECRETS.contains(key)) {
        text = "***";
      } else if (key.equals(RATE_LIMIT_BURST) && rateLimitBurstSetting == null) {
        text = rateLimitBurst + "(auto)";
      } else if (key.equals(MAX_BUFFERED) && maxBufferedSetting == null) {
        text = maxBuffered + "(auto)";
      } else {
        text = String.valueOf(value);
      }
      appendPair(line, key, text);
    });
    appendKafka(line, KafkaClientProperties.Section.COMMON, kafkaCommon);
    appendKafka(line, KafkaClientProperties.Section.CONSUMER, kafkaConsumer);
    appendKafka(line, KafkaClientProperties.Section.PRODUCER, kafkaProducer);
    return line.toString();
  }

  private static void appendKafka(StringBuilder line, KafkaClientProperties.Section section, Map<String, String> properties) {
    properties.forEach((name, value) ->
        appendPair(line, section.keyOf(name), KafkaClientProperties.isSecret(name) ? "***" : value));
  }

  private static void appendPair(StringBuilder line, String key, String value) {
    if (line.length() > 0) {
      line.append(' ');
    }
    boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || Character.isISOControl(c));
    line.append(key).append('=').append(plain ? value : Values.quote(value));
  }

  /**
   * The configuration with the config file's key names ({@code "auto"} kept, unset values left
   * out, Kafka properties as {@code "kafka.common"} etc.); {@link #fromJson} reads it back.
   * <b>Contains the secrets in clear: never log it.</b>
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    jsonValues().forEach((key, value) -> {
      if (value != null) {
        json.put(key, value);
      }
    });
    putKafka(json, KAFKA_COMMON, kafkaCommon);
    putKafka(json, KAFKA_CONSUMER, kafkaConsumer);
    putKafka(json, KAFKA_PRODUCER, kafkaProducer);
    return json;
  }

  private static void putKafka(JsonObject json, String key, Map<String, String> properties) {
    if (!properties.isEmpty()) {
      json.put(key, new JsonObject(new LinkedHashMap<>(properties)));
    }
  }

  /**
   * Reads what {@link #toJson()} writes, or a config-file object, with the config file's rules
   * (unknown keys are errors, {@code _}-keys ignored, no environment involved) and validates it.
   */
  public static WorkerConfig fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    RawSettings settings = JsonSettings.read(JsonSettings.parse(json.encode(), "json"), "json");
    Builder builder = builder();
    settings.applyTo(builder);
    return builder.build();
  }

  /** Every setting in {@link ConfigKeys#ALL} order, as a JSON value; null when unset. */
  private Map<String, Object> jsonValues() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put(KAFKA_BOOTSTRAP_SERVERS, kafkaBootstrapServers);
    v.put(KAFKA_GROUP_ID, kafkaGroupId);
    v.put(TOPIC_INPUT, topicInput);
    v.put(TOPIC_SENT, topicSent);
    v.put(TOPIC_FAILED, topicFailed);
    v.put(TOPIC_DEAD_LETTER, topicDeadLetter);
    v.put(XC_ENDPOINT_URL, xcEndpointUrl.toString());
    v.put(XC_API_TOKEN, xcApiToken);
    v.put(XC_API_TOKEN_FILE, pathText(xcApiTokenFile));
    v.put(XC_CLIENT_P12, pathText(xcClientP12));
    v.put(XC_CLIENT_P12_PASSWORD, xcClientP12Password);
    v.put(XC_CA_FILE, pathText(xcCaFile));
    v.put(MAX_IN_FLIGHT, maxInFlight);
    v.put(RATE_LIMIT_PER_SECOND, rateLimitPerSecond == Math.rint(rateLimitPerSecond) && rateLimitPerSecond < 1e15
        ? (Object) (long) rateLimitPerSecond : (Object) rateLimitPerSecond);
    v.put(RATE_LIMIT_BURST, rateLimitBurstSetting == null ? AUTO : rateLimitBurstSetting);
    v.put(MAX_ATTEMPTS, maxAttempts);
    v.put(BACKOFF_INITIAL_MS, backoffInitialMs);
    v.put(BACKOFF_MAX_MS, backoffMaxMs);
    v.put(REQUEST_TIMEOUT_MS, requestTimeoutMs);
    v.put(ON_AUTH_FAILURE, Values.configName(onAuthFailure));
    v.put(HTTP_PORT, httpPort);
    v.put(SHUTDOWN_GRACE_MS, shutdownGraceMs);
    v.put(ORDERING, Values.configName(ordering));
    v.put(HOLD_AFTER_FAILURES, holdAfterFailures);
    v.put(RETRY_AFTER_MAX_MS, retryAfterMaxMs);
    v.put(MAX_BUFFERED, maxBufferedSetting == null ? AUTO : maxBufferedSetting);
    v.put(LOG_FORMAT, Values.configName(logFormat));
    v.put(STATUS_INTERVAL_MS, statusIntervalMs);
    return v;
  }

  private static String pathText(Path path) {
    return path == null ? null : path.toString();
  }

  /** Same as {@link #describe()}: safe to log. */
  @Override
  public String toString() {
    return describe();
  }

  /** Equal when every setting, secrets and {@code auto} choices included, is equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof WorkerConfig that && toJson().equals(that.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  static int autoBurst(double ratePerSecond) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(ratePerSecond / 10)));
  }

  static int autoMaxBuffered(int maxInFlight) {
    return Math.max(2 * maxInFlight, 100);
  }

  private static String normalizeList(String commaList) {
    return String.join(",", commaList.strip().split("\\s*,\\s*"));
  }

  private static Map<String, String> sorted(Map<String, String> properties) {
    return Collections.unmodifiableMap(new TreeMap<>(properties));
  }

  /**
   * Collects settings, starting from the contract's defaults, and validates them all in
   * {@link #build()}. Setters do not validate (so any order works); {@code null} or blank for an
   * optional setting means unset. Not thread-safe: confine to one thread.
   */
  public static final class Builder {

    private String kafkaBootstrapServers = "localhost:9092";
    private String kafkaGroupId = "password-email-worker";
    private String topicInput = "onboarding-events";
    private String topicSent = "password-email-sent";
    private String topicFailed = "password-email-failed";
    private String topicDeadLetter;
    private String xcEndpointUrl;
    private String xcApiToken;
    private Path xcApiTokenFile;
    private Path xcClientP12;
    private String xcClientP12Password;
    private Path xcCaFile;
    private int maxInFlight = 64;
    private double rateLimitPerSecond = 0;
    private Integer rateLimitBurst;
    private int maxAttempts = 5;
    private long backoffInitialMs = 500;
    private long backoffMaxMs = 30_000;
    private long requestTimeoutMs = 10_000;
    private OnAuthFailure onAuthFailure = OnAuthFailure.HOLD;
    private int httpPort = 8080;
    private long shutdownGraceMs = 30_000;
    private Ordering ordering = Ordering.UNORDERED;
    private int holdAfterFailures = 5;
    private long retryAfterMaxMs = 300_000;
    private Integer maxBuffered;
    private LogFormat logFormat = LogFormat.TEXT;
    private long statusIntervalMs = 30_000;
    private Map<String, String> kafkaCommon = new LinkedHashMap<>();
    private Map<String, String> kafkaConsumer = new LinkedHashMap<>();
    private Map<String, String> kafkaProducer = new LinkedHashMap<>();

    private Builder() {}

    public Builder kafkaBootstrapServers(String commaSeparatedHostPorts) {
      this.kafkaBootstrapServers = commaSeparatedHostPorts;
      return this;
    }

    public Builder kafkaGroupId(String groupId) {
      this.kafkaGroupId = groupId;
      return this;
    }

    public Builder topicInput(String topic) {
      this.topicInput = topic;
      return this;
    }

    public Builder topicSent(String topic) {
      this.topicSent = topic;
      return this;
    }

    public Builder topicFailed(String topic) {
      this.topicFailed = topic;
      return this;
    }

    /** Null or blank turns dead-lettering off. */
    public Builder topicDeadLetter(String topic) {
      this.topicDeadLetter = topic;
      return this;
    }

    public Builder xcEndpointUrl(String url) {
      this.xcEndpointUrl = url;
      return this;
    }

    public Builder xcEndpointUrl(URI url) {
      this.xcEndpointUrl = url == null ? null : url.toString();
      return this;
    }

    public Builder xcApiToken(String token) {
      this.xcApiToken = token;
      return this;
    }

    public Builder xcApiTokenFile(Path file) {
      this.xcApiTokenFile = file;
      return this;
    }

    public Builder xcClientP12(Path file) {
      this.xcClientP12 = file;
      return this;
    }

    /** Null or empty means an empty password. A non-empty password needs {@link #xcClientP12(Path)}. */
    public Builder xcClientP12Password(String password) {
      this.xcClientP12Password = password;
      return this;
    }

    public Builder xcCaFile(Path file) {
      this.xcCaFile = file;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder rateLimitPerSecond(double perSecond) {
      this.rateLimitPerSecond = perSecond;
      return this;
    }

    public Builder rateLimitBurst(int burst) {
      this.rateLimitBurst = burst;
      return this;
    }

    /** Back to the default: {@code max(1, ceil(rate / 10))}. */
    public Builder rateLimitBurstAuto() {
      this.rateLimitBurst = null;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder backoffInitialMs(long millis) {
      this.backoffInitialMs = millis;
      return this;
    }

    public Builder backoffMaxMs(long millis) {
      this.backoffMaxMs = millis;
      return this;
    }

    public Builder requestTimeoutMs(long millis) {
      this.requestTimeoutMs = millis;
      return this;
    }

    public Builder onAuthFailure(OnAuthFailure action) {
      this.onAuthFailure = action;
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    public Builder shutdownGraceMs(long millis) {
      this.shutdownGraceMs = millis;
      return this;
    }

    public Builder ordering(Ordering ordering) {
      this.ordering = ordering;
      return this;
    }

    public Builder holdAfterFailures(int failures) {
      this.holdAfterFailures = failures;
      return this;
    }

    public Builder retryAfterMaxMs(long millis) {
      this.retryAfterMaxMs = millis;
      return this;
    }

    public Builder maxBuffered(int records) {
      this.maxBuffered = records;
      return this;
    }

    /** Back to the default: {@code max(2 * MAX_IN_FLIGHT, 100)}. */
    public Builder maxBufferedAuto() {
      this.maxBuffered = null;
      return this;
    }

    public Builder logFormat(LogFormat format) {
      this.logFormat = format;
      return this;
    }

    public Builder statusIntervalMs(long millis) {
      this.statusIntervalMs = millis;
      return this;
    }

    /** Replaces the common Kafka client properties; null means none. */
    public Builder kafkaCommon(Map<String, String> properties) {
      this.kafkaCommon = copy(properties);
      return this;
    }

    /** Replaces the consumer-only Kafka client properties; null means none. */
    public Builder kafkaConsumer(Map<String, String> properties) {
      this.kafkaConsumer = copy(properties);
      return this;
    }

    /** Replaces the producer-only Kafka client properties; null means none. */
    public Builder kafkaProducer(Map<String, String> properties) {
      this.kafkaProducer = copy(properties);
      return this;
    }

    private static Map<String, String> copy(Map<String, String> properties) {
      return properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
    }

    /**
     * Validates every setting (files named by paths must exist and be readable now) and returns
     * the configuration.
     *
     * @throws ConfigException for the first problem, naming its key; never echoing a secret
     */
    public WorkerConfig build() {
      checkBootstrapServers();
      required(KAFKA_GROUP_ID, kafkaGroupId, "the Kafka consumer group shared by all instances");
      checkTopic(TOPIC_INPUT, topicInput);
      checkTopic(TOPIC_SENT, topicSent);
      checkTopic(TOPIC_FAILED, topicFailed);
      checkOutputDiffersFromInput(TOPIC_SENT, topicSent);
      checkOutputDiffersFromInput(TOPIC_FAILED, topicFailed);
      if (!Values.isBlank(topicDeadLetter)) {
        checkTopic(TOPIC_DEAD_LETTER, topicDeadLetter);
        checkOutputDiffersFromInput(TOPIC_DEAD_LETTER, topicDeadLetter);
        checkDeadLetterDiffersFrom(TOPIC_SENT, topicSent);
        checkDeadLetterDiffersFrom(TOPIC_FAILED, topicFailed);
      }
      URI endpoint = checkEndpoint();
      String token = checkToken();
      checkReadableFile(XC_API_TOKEN_FILE, xcApiTokenFile);
      if (token != null && xcApiTokenFile != null) {
        throw new ConfigException(XC_API_TOKEN, "set either " + XC_API_TOKEN + " or " + XC_API_TOKEN_FILE + ", not both");
      }
      checkReadableFile(XC_CLIENT_P12, xcClientP12);
      if (xcClientP12Password != null && !xcClientP12Password.isEmpty() && xcClientP12 == null) {
        throw new ConfigException(XC_CLIENT_P12_PASSWORD,
            "given without " + XC_CLIENT_P12 + ": set the PKCS#12 file too, or remove the password");
      }
      checkReadableFile(XC_CA_FILE, xcCaFile);
      MAX_IN_FLIGHT_RANGE.check(MAX_IN_FLIGHT, maxInFlight);
      if (!Double.isFinite(rateLimitPerSecond) || rateLimitPerSecond < 0) {
        throw new ConfigException(RATE_LIMIT_PER_SECOND,
            "must be a number >= 0 such as 0, 20 or 2.5, got " + Values.quote(String.valueOf(rateLimitPerSecond)));
      }
      if (rateLimitBurst != null) {
        RATE_LIMIT_BURST_RANGE.check(RATE_LIMIT_BURST, rateLimitBurst);
      }
      MAX_ATTEMPTS_RANGE.check(MAX_ATTEMPTS, maxAttempts);
      BACKOFF_RANGE.check(BACKOFF_INITIAL_MS, backoffInitialMs);
      BACKOFF_RANGE.check(BACKOFF_MAX_MS, backoffMaxMs);
      if (backoffMaxMs < backoffInitialMs) {
        throw new ConfigException(BACKOFF_MAX_MS, "must be >= " + BACKOFF_INITIAL_MS + " (" + backoffInitialMs
            + "), got " + Values.quote(Long.toString(backoffMaxMs)));
      }
      REQUEST_TIMEOUT_RANGE.check(REQUEST_TIMEOUT_MS, requestTimeoutMs);
      requiredChoice(ON_AUTH_FAILURE, onAuthFailure, OnAuthFailure.class);
      HTTP_PORT_RANGE.check(HTTP_PORT, httpPort);
      SHUTDOWN_GRACE_RANGE.check(SHUTDOWN_GRACE_MS, shutdownGraceMs);
      requiredChoice(ORDERING, ordering, Ordering.class);
      HOLD_AFTER_FAILURES_RANGE.check(HOLD_AFTER_FAILURES, holdAfterFailures);
      RETRY_AFTER_MAX_RANGE.check(RETRY_AFTER_MAX_MS, retryAfterMaxMs);
      if (maxBuffered != null && maxBuffered < maxInFlight) {
        throw new ConfigException(MAX_BUFFERED, "must be auto or an integer >= " + MAX_IN_FLIGHT + " (" + maxInFlight
            + "), got " + Values.quote(Integer.toString(maxBuffered)));
      }
      requiredChoice(LOG_FORMAT, logFormat, LogFormat.class);
      STATUS_INTERVAL_RANGE.check(STATUS_INTERVAL_MS, statusIntervalMs);
      checkKafkaPropertyNames(KafkaClientProperties.Section.COMMON, kafkaCommon);
      checkKafkaPropertyNames(KafkaClientProperties.Section.CONSUMER, kafkaConsumer);
      checkKafkaPropertyNames(KafkaClientProperties.Section.PRODUCER, kafkaProducer);
      KafkaClientProperties.validate(kafkaCommon, kafkaConsumer, kafkaProducer,
          normalizeList(kafkaBootstrapServers), kafkaGroupId.strip());
      return new WorkerConfig(this, endpoint, token);
    }

    private void checkBootstrapServers() {
      String key = KAFKA_BOOTSTRAP_SERVERS;
      required(key, kafkaBootstrapServers, "the Kafka brokers as host:port[,host:port...]");
      for (String entry : kafkaBootstrapServers.strip().split("\\s*,\\s*", -1)) {
        var matcher = HOST_PORT.matcher(entry);
        int port = matcher.matches() ? Integer.parseInt(matcher.group(2)) : 0;
        if (port < 1 || port > 65_535) {
          throw new ConfigException(key, "must be a comma-separated list of host:port (port 1 to 65535), got "
              + Values.quote(kafkaBootstrapServers));
        }
      }
    }

    private static void required(String key, String value, String meaning) {
      if (Values.isBlank(value)) {
        throw new ConfigException(key, "required: " + meaning);
      }
    }

    private static <E extends Enum<E>> void requiredChoice(String key, E value, Class<E> type) {
      if (value == null) {
        throw new ConfigException(key, "required: " + Values.choices(type));
      }
    }

    private static void checkTopic(String key, String topic) {
      required(key, topic, "a Kafka topic name");
      String name = topic.strip();
      if (!TOPIC.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new ConfigException(key,
            "must be a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -, not . or ..), got " + Values.quote(topic));
      }
    }

    private void checkOutputDiffersFromInput(String key, String topic) {
      if (topic.strip().equals(topicInput.strip())) {
        throw new ConfigException(key, "must differ from " + TOPIC_INPUT + " (" + topicInput.strip()
            + "): the worker would consume its own output");
      }
    }

    private void checkDeadLetterDiffersFrom(String otherKey, String otherTopic) {
      if (topicDeadLetter.strip().equals(otherTopic.strip())) {
        throw new ConfigException(TOPIC_DEAD_LETTER, "must differ from " + otherKey + " (" + otherTopic.strip()
            + "): raw input copies would be mixed with result events");
      }
    }

    private URI checkEndpoint() {
      String key = XC_ENDPOINT_URL;
      required(key, xcEndpointUrl, "the full URL of send_password_email");
      String text = xcEndpointUrl.strip();
      String expected = "must be an absolute http or https URL with a host, such as "
          + "https://<tenant>.console.ves.volterra.io/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email, got ";
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new ConfigException(key, expected + Values.quote(withoutUserInfo(text)));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(key, expected + Values.quote(withoutUserInfo(text)));
      }
      if (uri.getRawUserInfo() != null) {
        throw new ConfigException(key, "must not contain user:password@ (use " + XC_API_TOKEN + "), got "
            + Values.quote(withoutUserInfo(text)));
      }
      if (uri.getRawFragment() != null) {
        throw new ConfigException(key, "must not contain a #fragment, got " + Values.quote(text));
      }
      return uri;
    }

    /** Hides {@code user:password@} so an error about the URL cannot print a credential. */
    private static String withoutUserInfo(String url) {
      return url.replaceFirst("//[^/?#]*@", "//***@");
    }

    /** Null when unset; otherwise the token without surrounding blanks. */
    private String checkToken() {
      if (Values.isBlank(xcApiToken)) {
        return null;
      }
      String token = xcApiToken.strip();
      if (token.regionMatches(true, 0, API_TOKEN_PREFIX, 0, API_TOKEN_PREFIX.length())) {
        throw new ConfigException(XC_API_TOKEN, "give only the token, without the \"APIToken \" prefix (value not shown)");
      }
      if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw new ConfigException(XC_API_TOKEN, "must not contain spaces or control characters (value not shown)");
      }
      return token;
    }

    private static void checkReadableFile(String key, Path file) {
      if (file == null) {
        return;
      }
      if (Files.isDirectory(file)) {
        throw new ConfigException(key, "must be a file, got the directory " + Values.quote(file.toString()));
      }
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(key, "file not found: " + Values.quote(file.toString()));
      }
      if (!Files.isReadable(file)) {
        throw new ConfigException(key, "file not readable (check its permissions): " + Values.quote(file.toString()));
      }
    }

    private static void checkKafkaPropertyNames(KafkaClientProperties.Section section, Map<String, String> properties) {
      if (properties.containsKey(null)) {
        throw new ConfigException(section.prefix(), "property names must not be null");
      }
    }
  }
}
