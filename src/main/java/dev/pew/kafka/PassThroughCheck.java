package dev.pew.kafka;

import dev.pew.kafka.KafkaClients.Section;
import dev.pew.kafka.KafkaClients.Sections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks the operator's pass-through properties at load time, so that a typo or a property the
 * worker's guarantees forbid stops start-up instead of the first connection: names the worker sets
 * itself, names no client of that section knows, what the chosen group protocol or a share consumer
 * refuses, and each value parsed by the client's own {@link ConfigDef} next to the forced
 * properties. Every refusal names the key; a secret's value is never part of it. Stateless.
 */
final class PassThroughCheck {

  static final ConfigDef CONSUMER_DEF = ConsumerConfig.configDef();
  static final ConfigDef PRODUCER_DEF = ProducerConfig.configDef();

  /**
   * What a share consumer refuses at construction ({@code ShareConsumerConfig}), each with where its
   * job is done instead; with {@code INTAKE=share} an operator's value for one of them stops start-up.
   */
  static final Map<String, String> SHARE_REFUSED = new TreeMap<>(Map.of(
      ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "the share group's config share.auto.offset.reset decides (the worker sets "
          + "earliest for a new group)",
      ConsumerConfig.ISOLATION_LEVEL_CONFIG, "the share group's config share.isolation.level decides (the worker sets "
          + "read_committed for a new group)",
      ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "the broker sets it (group.share.session.timeout.ms, or "
          + "share.session.timeout.ms as a config of the group)",
      ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "the broker sets it (group.share.heartbeat.interval.ms, or "
          + "share.heartbeat.interval.ms as a config of the group)",
      ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "the broker assigns a share group's partitions",
      ConsumerConfig.GROUP_PROTOCOL_CONFIG, "a share group has its own protocol",
      ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "the broker assigns a share group's partitions",
      ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "share groups have no static membership",
      ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, "share consumers take no interceptors"));

  private PassThroughCheck() {}

  /** @throws PropertyException for the first property refused */
  static void check(String bootstrap, Sections sections, boolean share, boolean kip848) {
    sections.forEach((section, props) -> props.forEach((name, value) -> {
      String key = section.prefix() + "." + name;
      refusal(name, value).ifPresent(p -> {
        throw new PropertyException(key, p, shownWithRefusal(name) ? value : null);
      });
      if (!section.knows(name)) {
        throw new PropertyException(key, switch (section) {
          case COMMON -> "not a Kafka consumer or producer property (check the spelling)";
          case CONSUMER -> "not a Kafka consumer property (check the spelling; producer properties go in kafka.producer, shared ones in kafka.common)";
          case PRODUCER -> "not a Kafka producer property (check the spelling; consumer properties go in kafka.consumer, shared ones in kafka.common)";
        }, null);
      }
    }));
    parse(CONSUMER_DEF, Section.CONSUMER, KafkaClients.CONSUMER_FORCED, bootstrap, sections);
    if (share) {
      shareConsumer(sections);
    } else {
      groupProtocol(sections, kip848);
    }
    parse(PRODUCER_DEF, Section.PRODUCER, KafkaClients.PRODUCER_FORCED, bootstrap, sections);
  }

  /** Why the worker refuses this pass-through property, or empty when it is allowed. */
  static Optional<String> refusal(String name, String value) {
    boolean same = value.strip().equalsIgnoreCase(KafkaClients.PRODUCER_FORCED.getOrDefault(name, ""))
        || (name.equals(ProducerConfig.ACKS_CONFIG) && value.strip().equals("-1"));
    return Optional.ofNullable(switch (name) {
      case "bootstrap.servers" -> "set by the worker: use KAFKA_BOOTSTRAP_SERVERS";
      case "group.id" -> "set by the worker: use KAFKA_GROUP_ID";
      case "enable.auto.commit" -> "set by the worker (false): offsets are committed only after the result is acknowledged";
      case "key.serializer", "value.serializer", "key.deserializer", "value.deserializer" ->
          "set by the worker: records are read and written as raw bytes";
      case "transactional.id" -> "not supported: the worker does not use Kafka transactions";
      case "share.acknowledgement.mode" -> "set by the worker (explicit): a record is acknowledged only after its result is";
      case "share.acquire.mode" -> "set by the worker (record_limit): one poll takes at most max.poll.records, so MAX_BUFFERED bounds memory";
      case "acks" -> same ? null : "must be all (or -1): a result must be on every in-sync replica before its offset is committed";
      case "enable.idempotence" -> same ? null : "must be true: a retried send must not duplicate a result";
      default -> null;
    });
  }

  private static boolean shownWithRefusal(String name) {
    return name.equals(ProducerConfig.ACKS_CONFIG) || name.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
  }

  /** Whether the value of a property must never be printed (by name: passwords, JAAS, private keys). */
  static boolean isSecret(String name) {
    ConfigDef.ConfigKey c = CONSUMER_DEF.configKeys().get(name);
    ConfigDef.ConfigKey p = PRODUCER_DEF.configKeys().get(name);
    return name.toLowerCase(Locale.ROOT).contains("password") || name.equals("sasl.jaas.config")
        || (c != null && c.type == ConfigDef.Type.PASSWORD) || (p != null && p.type == ConfigDef.Type.PASSWORD);
  }

  /**
   * The Kafka consumer refuses some properties under one group protocol, at construction, which would
   * end the intake instead of start-up: with {@code group.protocol=consumer} the broker assigns
   * partitions and sets session and heartbeat; {@code group.remote.assignor} is KIP-848's only.
   */
  private static void groupProtocol(Sections sections, boolean kip848) {
    for (String name : kip848 ? List.of("partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms")
        : List.of("group.remote.assignor")) {
      Section s = sections.get(Section.CONSUMER).containsKey(name) ? Section.CONSUMER
          : sections.get(Section.COMMON).containsKey(name) ? Section.COMMON : null;
      if (s != null) {
        throw new PropertyException(s.prefix() + "." + name, kip848
            ? "cannot be set with group.protocol=consumer (KIP-848): the broker " + (name.startsWith("partition")
                ? "assigns the partitions; choose its assignor with group.remote.assignor"
                : "sets it (group.consumer." + name + ", or consumer." + name + " as a config of the group); leave it out")
            : "only with group.protocol=consumer (KIP-848); the classic protocol refuses it: choose a classic assignor "
                + "with partition.assignment.strategy, or set group.protocol=consumer", null);
      }
    }
  }

  /** With {@code INTAKE=share}: what a share consumer refuses stops start-up, naming the key and where it is set instead. */
  private static void shareConsumer(Sections sections) {
    for (Section s : new Section[] {Section.CONSUMER, Section.COMMON}) {
      for (String name : sections.get(s).keySet()) {
        if (SHARE_REFUSED.containsKey(name) && (s == Section.CONSUMER || !name.equals(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG))) {
          throw new PropertyException(s.prefix() + "." + name, "cannot be set with INTAKE=share: " + SHARE_REFUSED.get(name), null);
        }
      }
    }
  }

  /** Parses each pass-through property alone next to the forced ones (so an error names it), then all together. */
  private static void parse(ConfigDef def, Section role, Map<String, String> forced, String bootstrap, Sections sections) {
    Map<String, Object> managed = new LinkedHashMap<>(forced);
    managed.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<String, Object> merged = new LinkedHashMap<>(managed);
    for (Section s : new Section[] {Section.COMMON, role}) {
      sections.get(s).forEach((name, value) -> {
        if (s == Section.COMMON && !role.knows(name)) {
          return;
        }
        Map<String, Object> one = new LinkedHashMap<>(managed);
        one.put(name, value);
        merged.put(name, value);
        try {
          def.parse(one);
        } catch (ConfigException e) {
          rejected(s.prefix() + "." + name, e, name, value);
        }
      });
    }
    try {
      def.parse(merged);
    } catch (ConfigException e) {
      String safe = String.valueOf(e.getMessage());
      for (Map.Entry<String, Object> entry : merged.entrySet()) {
        String v = String.valueOf(entry.getValue());
        if (isSecret(entry.getKey()) && !v.isEmpty()) {
          safe = safe.replace(v, "***");
        }
      }
      throw new PropertyException(role.prefix(), "rejected by the Kafka client: " + safe, null);
    }
  }

  /** Kafka says "Invalid value X for configuration NAME: REASON"; keep REASON and show the value unless secret. */
  private static void rejected(String key, Exception e, String name, String value) {
    String message = String.valueOf(e.getMessage());
    String marker = "for configuration " + name + ": ";
    int at = message.indexOf(marker);
    String reason = "rejected by the Kafka client: " + (at >= 0 ? message.substring(at + marker.length()) : message);
    if (!isSecret(name)) {
      throw new PropertyException(key, reason, value);
    }
    throw new PropertyException(key, (!value.isEmpty() && reason.contains(value) ? "rejected by the Kafka client: invalid value"
        : reason) + " (value not shown: secret)", null);
  }
}
