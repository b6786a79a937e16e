package dev.pew.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the worker knows about pass-through Kafka client properties: which names exist, which are
 * secret, which the worker manages itself, and whether a value is acceptable to the Kafka client
 * (checked with the client's own {@link ConfigDef}, so a typo fails at start-up, not at the first
 * connection). Stateless and thread-safe.
 */
final class KafkaClientProperties {

  /** Where a pass-through property applies. */
  enum Section {
    COMMON(ConfigKeys.KAFKA_COMMON),
    CONSUMER(ConfigKeys.KAFKA_CONSUMER),
    PRODUCER(ConfigKeys.KAFKA_PRODUCER);

    private final String prefix;

    Section(String prefix) {
      this.prefix = prefix;
    }

    /** {@code kafka.consumer}: the config-file object and the start of error keys. */
    String prefix() {
      return prefix;
    }

    /** {@code kafka.consumer.max.poll.records}: the key used in messages and describe(). */
    String keyOf(String property) {
      return prefix + "." + property;
    }

    /** Whether a client this section feeds understands {@code property}. */
    boolean knows(String property) {
      return switch (this) {
        case COMMON -> CONSUMER_NAMES.contains(property) || PRODUCER_NAMES.contains(property);
        case CONSUMER -> CONSUMER_NAMES.contains(property);
        case PRODUCER -> PRODUCER_NAMES.contains(property);
      };
    }
  }

  private static final Set<String> CONSUMER_NAMES = ConsumerConfig.configNames();
  private static final Set<String> PRODUCER_NAMES = ProducerConfig.configNames();
  private static final ConfigDef CONSUMER_DEF = ConsumerConfig.configDef();
  private static final ConfigDef PRODUCER_DEF = ProducerConfig.configDef();
  /** What the Kafka consumer refuses under each group protocol (and the worker therefore at start-up). */
  private static final List<String> CONSUMER_PROTOCOL_REFUSED = List.of(
      ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
      ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
      ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
  private static final List<String> CLASSIC_PROTOCOL_REFUSED = List.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

  private KafkaClientProperties() {}

  /**
   * Whether the value of {@code property} must never be printed: names containing "password",
   * {@code sasl.jaas.config}, and whatever Kafka itself types as a password (private keys,
   * inline key stores).
   */
  static boolean isSecret(String property) {
    return property.toLowerCase(Locale.ROOT).contains("password")
        || property.equals("sasl.jaas.config")
        || isPasswordType(CONSUMER_DEF, property)
        || isPasswordType(PRODUCER_DEF, property);
  }

  private static boolean isPasswordType(ConfigDef def, String property) {
    ConfigDef.ConfigKey key = def.configKeys().get(property);
    return key != null && key.type == ConfigDef.Type.PASSWORD;
  }

  /**
   * Checks the three sections: names known, none of the worker's own properties overridden, every
   * value accepted by the consumer's or producer's ConfigDef. Throws for the first problem.
   */
  static void validate(
      Map<String, String> common,
      Map<String, String> consumer,
      Map<String, String> producer,
      String bootstrapServers,
      String groupId) {
    checkNames(Section.COMMON, common);
    checkNames(Section.CONSUMER, consumer);
    checkNames(Section.PRODUCER, producer);
    Map<String, Object> consumerManaged = new LinkedHashMap<>();
    consumerManaged.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerManaged.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    consumerManaged.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerManaged.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumerManaged.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    checkValues(CONSUMER_DEF, Section.CONSUMER, consumerManaged, common, consumer);
    checkGroupProtocol(common, consumer);
    Map<String, Object> producerManaged = new LinkedHashMap<>();
    producerManaged.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerManaged.put(ProducerConfig.ACKS_CONFIG, "all");
    producerManaged.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerManaged.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producerManaged.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    checkValues(PRODUCER_DEF, Section.PRODUCER, producerManaged, common, producer);
  }

  /**
   * The Kafka consumer refuses some properties under one group protocol (at construction, which
   * would end the intake thread instead of start-up): with {@code group.protocol=consumer}
   * (KIP-848) the broker assigns partitions and sets the session and heartbeat, so the client-side
   * settings for them are refused; {@code group.remote.assignor}, the KIP-848 way to choose the
   * assignor, is refused by the classic protocol.
   */
  private static void checkGroupProtocol(Map<String, String> common, Map<String, String> consumer) {
    String protocol = consumer.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        common.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")).strip();
    boolean kip848 = protocol.equalsIgnoreCase("consumer");
    for (String name : kip848 ? CONSUMER_PROTOCOL_REFUSED : CLASSIC_PROTOCOL_REFUSED) {
      Section section = consumer.containsKey(name) ? Section.CONSUMER : common.containsKey(name) ? Section.COMMON : null;
      if (section != null) {
        throw new ConfigException(section.keyOf(name), (kip848
            ? "cannot be set with group.protocol=consumer (KIP-848): "
            : "only with group.protocol=consumer (KIP-848); the classic protocol refuses it: ") + groupProtocolHint(name));
      }
    }
  }

  private static String groupProtocolHint(String name) {
    return switch (name) {
      case "partition.assignment.strategy" -> "the broker assigns the partitions; choose its assignor with group.remote.assignor";
      case "session.timeout.ms" -> "the broker sets it (group.consumer.session.timeout.ms, or consumer.session.timeout.ms "
          + "as a config of the group); leave it out";
      case "heartbeat.interval.ms" -> "the broker sets it (group.consumer.heartbeat.interval.ms, or consumer.heartbeat.interval.ms "
          + "as a config of the group); leave it out";
      default -> "choose a classic assignor with partition.assignment.strategy, or set group.protocol=consumer";
    };
  }

  private static void checkNames(Section section, Map<String, String> properties) {
    properties.forEach((name, value) -> {
      String key = section.keyOf(name);
      if (value == null) {
        throw new ConfigException(key, "must have a value (leave the property out instead)");
      }
      managedProblem(name, value).ifPresent(problem -> {
        throw new ConfigException(key, problem);
      });
      if (!section.knows(name)) {
        throw new ConfigException(key, unknownProblem(section));
      }
    });
  }

  private static String unknownProblem(Section section) {
    return switch (section) {
      case COMMON -> "not a Kafka consumer or producer property (check the spelling)";
      case CONSUMER -> "not a Kafka consumer property (check the spelling; producer properties go in "
          + ConfigKeys.KAFKA_PRODUCER + ", shared ones in " + ConfigKeys.KAFKA_COMMON + ")";
      case PRODUCER -> "not a Kafka producer property (check the spelling; consumer properties go in "
          + ConfigKeys.KAFKA_CONSUMER + ", shared ones in " + ConfigKeys.KAFKA_COMMON + ")";
    };
  }

  /** Why the worker refuses this override, or empty when the override is allowed. */
  static Optional<String> managedProblem(String name, String value) {
    String problem = switch (name) {
      case "bootstrap.servers" -> "set by the worker: use " + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS;
      case "group.id" -> "set by the worker: use " + ConfigKeys.KAFKA_GROUP_ID;
      case "enable.auto.commit" ->
          "set by the worker (false): offsets are committed only after the result is acknowledged";
      case "key.serializer", "value.serializer", "key.deserializer", "value.deserializer" ->
          "set by the worker: records are read and written as raw bytes";
      case "transactional.id" -> "not supported: the worker does not use Kafka transactions";
      case "acks" -> isOneOf(value, "all", "-1") ? null
          : "must be all (or -1): a result must be on every in-sync replica before its offset is committed, got "
              + Values.quote(value);
      case "enable.idempotence" -> isOneOf(value, "true") ? null
          : "must be true: a retried send must not duplicate a result, got " + Values.quote(value);
      default -> null;
    };
    return Optional.ofNullable(problem);
  }

  private static boolean isOneOf(String value, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value.strip())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses each user property on its own (next to the managed ones, which satisfy the required
   * entries) so a failure names the exact property, then the whole merged set once.
   */
  private static void checkValues(
      ConfigDef def,
      Section role,
      Map<String, Object> managed,
      Map<String, String> common,
      Map<String, String> roleProperties) {
    Map<String, Object> merged = new LinkedHashMap<>(managed);
    common.forEach((name, value) -> {
      if (role.knows(name)) {
        parseOne(def, managed, Section.COMMON, name, value);
        merged.put(name, value);
      }
    });
    roleProperties.forEach((name, value) -> {
      parseOne(def, managed, role, name, value);
      merged.put(name, value);
    });
    try {
      def.parse(merged);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new ConfigException(role.prefix(), "rejected by the Kafka client: " + withoutSecrets(e.getMessage(), merged));
    }
  }

  private static void parseOne(ConfigDef def, Map<String, Object> managed, Section section, String name, String value) {
    Map<String, Object> single = new LinkedHashMap<>(managed);
    single.put(name, value);
    try {
      def.parse(single);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new ConfigException(section.keyOf(name), "rejected by the Kafka client: " + describeRejection(e, name, value));
    }
  }

  /** Kafka says "Invalid value X for configuration NAME: REASON"; we keep REASON and add the value unless secret. */
  private static String describeRejection(Exception e, String name, String value) {
    String message = String.valueOf(e.getMessage());
    String marker = "for configuration " + name + ": ";
    int at = message.indexOf(marker);
    String reason = at >= 0 ? message.substring(at + marker.length()) : message;
    if (!isSecret(name)) {
      return reason + ", got " + Values.quote(value);
    }
    boolean leaks = !value.isEmpty() && reason.contains(value);
    return (leaks ? "invalid value" : reason) + " (value not shown: secret)";
  }

  private static String withoutSecrets(String message, Map<String, Object> properties) {
    String safe = String.valueOf(message);
    for (Map.Entry<String, Object> entry : properties.entrySet()) {
      String value = String.valueOf(entry.getValue());
      if (isSecret(entry.getKey()) && !value.isEmpty()) {
        safe = safe.replace(value, "***");
      }
    }
    return safe;
  }
}
