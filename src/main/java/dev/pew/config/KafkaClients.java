package dev.pew.config;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker's Kafka client properties: its own defaults, then the operator's pass-through
 * properties ({@code kafka.common}, {@code kafka.consumer}, {@code kafka.producer} in the file, or
 * {@code KAFKA_*} variables), then the properties the worker's guarantees depend on, listed once
 * in {@link #CONSUMER_FORCED} and {@link #PRODUCER_FORCED}, which nobody overrides. Pass-through
 * properties are checked with the client's own {@link ConfigDef} at load time, so a typo stops
 * start-up instead of the first connection. Immutable and thread-safe.
 */
public final class KafkaClients {

  /** Where a pass-through property applies; {@code kafka.consumer} is the file key and the error-key prefix. */
  public enum Section {
    COMMON, CONSUMER, PRODUCER;

    public String prefix() {
      return "kafka." + name().toLowerCase(Locale.ROOT);
    }

    /** Whether a client this section feeds understands {@code property}. */
    boolean knows(String property) {
      return (this != PRODUCER && CONSUMER_DEF.names().contains(property))
          || (this != CONSUMER && PRODUCER_DEF.names().contains(property));
    }
  }

  /** Pass-through properties by section, as given. */
  public static final class Sections extends EnumMap<Section, Map<String, String>> {
    public Sections() {
      super(Section.class);
      for (Section s : Section.values()) {
        put(s, new TreeMap<>());
      }
    }
  }

  private static final ConfigDef CONSUMER_DEF = ConsumerConfig.configDef();
  private static final ConfigDef PRODUCER_DEF = ProducerConfig.configDef();
  private static final Map<String, String> CONSUMER_FORCED = Map.of(
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  private static final Map<String, String> PRODUCER_FORCED = Map.of(
      ProducerConfig.ACKS_CONFIG, "all",
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

  /**
   * What a share consumer refuses at construction ({@code ShareConsumerConfig}), each with where its
   * job is done instead; with {@code INTAKE=share} an operator's value for one of them stops start-up.
   */
  private static final Map<String, String> SHARE_REFUSED = new java.util.TreeMap<>(Map.of(
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

  private final String bootstrap;
  private final String groupId;
  private final Sections sections;
  private final boolean share;

  KafkaClients(String bootstrap, String groupId, Sections sections) {
    this(bootstrap, groupId, sections, false);
  }

  /** {@code share}: the intake is a share consumer ({@code INTAKE=share}), whose refusals are checked too. */
  KafkaClients(String bootstrap, String groupId, Sections sections, boolean share) {
    this.bootstrap = bootstrap;
    this.groupId = groupId;
    this.sections = sections;
    this.share = share;
    sections.forEach((section, props) -> props.forEach((name, value) -> {
      managedProblem(name, value).ifPresent(p -> {
        throw new ConfigException(section.prefix() + "." + name, p);
      });
      if (!section.knows(name)) {
        throw new ConfigException(section.prefix() + "." + name, switch (section) {
          case COMMON -> "not a Kafka consumer or producer property (check the spelling)";
          case CONSUMER -> "not a Kafka consumer property (check the spelling; producer properties go in kafka.producer, shared ones in kafka.common)";
          case PRODUCER -> "not a Kafka producer property (check the spelling; consumer properties go in kafka.consumer, shared ones in kafka.common)";
        });
      }
    }));
    check(CONSUMER_DEF, Section.CONSUMER, CONSUMER_FORCED);
    if (share) {
      checkShareConsumer();
    } else {
      checkGroupProtocol();
    }
    check(PRODUCER_DEF, Section.PRODUCER, PRODUCER_FORCED);
  }

  /** Properties of the intake consumer; {@code maxPollRecords} bounds one poll. */
  public Map<String, String> consumer(String clientId, int maxPollRecords) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group must not skip events already waiting
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // never act on an aborted upstream transaction
    if (!consumerProtocol()) {
      // Classic protocol only: with group.protocol=consumer (KIP-848) the broker assigns partitions and
      // sets the session, and the client refuses both properties.
      p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    }
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.putAll(known(sections.get(Section.COMMON), CONSUMER_DEF.names()));
    p.putAll(sections.get(Section.CONSUMER));
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.putAll(CONSUMER_FORCED);
    return p;
  }

  /**
   * Properties of a share-group intake consumer ({@code INTAKE=share}): explicit acknowledgement, and
   * {@code share.acquire.mode=record_limit} so that one poll acquires at most {@code maxPollRecords}
   * records (the default mode may exceed it to align with batches, and prefetches).
   */
  public Map<String, String> shareConsumer(String clientId, int maxPollRecords) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.putAll(known(sections.get(Section.COMMON), CONSUMER_DEF.names()));
    p.putAll(sections.get(Section.CONSUMER));
    p.keySet().removeAll(SHARE_REFUSED.keySet());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    p.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    return p;
  }

  /** Properties of a consumer that reads assigned partitions without a group (the ledger's restore). */
  public Map<String, String> reader(String clientId) {
    Map<String, String> p = new LinkedHashMap<>(known(sections.get(Section.COMMON), CONSUMER_DEF.names()));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "8388608"); // a restore reads fast, but within a small heap
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4194304");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return p;
  }

  /** Properties of the result producer: {@code acks=all}, idempotent. */
  public Map<String, String> producer(String clientId) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Fail a send within 30 s so the worker notices a broker outage, reports not-ready and retries.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-results");
    p.putAll(known(sections.get(Section.COMMON), PRODUCER_DEF.names()));
    p.putAll(sections.get(Section.PRODUCER));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(PRODUCER_FORCED);
    return p;
  }

  /** Properties of an admin client (readiness, topic checks): common properties only, short timeouts. */
  public Map<String, String> admin(String clientId) {
    Map<String, String> p = new LinkedHashMap<>(known(sections.get(Section.COMMON), AdminClientConfig.configNames()));
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-health");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    return p;
  }

  /** The pass-through properties as given, keyed {@code kafka.common.security.protocol}, sorted. */
  public Map<String, String> sections() {
    Map<String, String> all = new LinkedHashMap<>();
    sections.forEach((section, props) -> props.forEach((name, value) -> all.put(section.prefix() + "." + name, value)));
    return all;
  }

  /** The pass-through properties of one section, as given. */
  public Map<String, String> section(Section section) {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(sections.get(section)));
  }

  /** Whether the value of a property must never be printed (by name: passwords, JAAS, private keys). */
  public static boolean isSecret(String name) {
    ConfigDef.ConfigKey c = CONSUMER_DEF.configKeys().get(name);
    ConfigDef.ConfigKey p = PRODUCER_DEF.configKeys().get(name);
    return name.toLowerCase(Locale.ROOT).contains("password") || name.equals("sasl.jaas.config")
        || (c != null && c.type == ConfigDef.Type.PASSWORD) || (p != null && p.type == ConfigDef.Type.PASSWORD);
  }

  /** Whether the consumer uses the KIP-848 consumer group protocol ({@code group.protocol=consumer}). */
  public boolean consumerProtocol() {
    String protocol = sections.get(Section.CONSUMER).getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        sections.get(Section.COMMON).getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"));
    return protocol.strip().equalsIgnoreCase("consumer");
  }

  /**
   * The Kafka consumer refuses some properties under one group protocol, at construction, which would
   * end the intake instead of start-up: with {@code group.protocol=consumer} the broker assigns
   * partitions and sets session and heartbeat; {@code group.remote.assignor} is KIP-848's only.
   */
  private void checkGroupProtocol() {
    boolean kip848 = consumerProtocol();
    for (String name : kip848 ? List.of("partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms")
        : List.of("group.remote.assignor")) {
      Section s = sections.get(Section.CONSUMER).containsKey(name) ? Section.CONSUMER
          : sections.get(Section.COMMON).containsKey(name) ? Section.COMMON : null;
      if (s != null) {
        throw new ConfigException(s.prefix() + "." + name, kip848
            ? "cannot be set with group.protocol=consumer (KIP-848): the broker " + (name.startsWith("partition")
                ? "assigns the partitions; choose its assignor with group.remote.assignor"
                : "sets it (group.consumer." + name + ", or consumer." + name + " as a config of the group); leave it out")
            : "only with group.protocol=consumer (KIP-848); the classic protocol refuses it: choose a classic assignor "
                + "with partition.assignment.strategy, or set group.protocol=consumer");
      }
    }
  }

  /** With {@code INTAKE=share}: what a share consumer refuses stops start-up, naming the key and where it is set instead. */
  private void checkShareConsumer() {
    for (Section s : new Section[] {Section.CONSUMER, Section.COMMON}) {
      for (String name : sections.get(s).keySet()) {
        if (SHARE_REFUSED.containsKey(name) && (s == Section.CONSUMER || !name.equals(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG))) {
          throw new ConfigException(s.prefix() + "." + name, "cannot be set with INTAKE=share: " + SHARE_REFUSED.get(name));
        }
      }
    }
  }

  /** Why the worker refuses this pass-through property, or empty when it is allowed. */
  static Optional<String> managedProblem(String name, String value) {
    boolean same = value.strip().equalsIgnoreCase(PRODUCER_FORCED.getOrDefault(name, ""))
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
      case "acks" -> same ? null : "must be all (or -1): a result must be on every in-sync replica before its offset is "
          + "committed, got " + Types.quote(value);
      case "enable.idempotence" -> same ? null : "must be true: a retried send must not duplicate a result, got "
          + Types.quote(value);
      default -> null;
    });
  }

  /** Parses each pass-through property alone next to the forced ones (so an error names it), then all together. */
  private void check(ConfigDef def, Section role, Map<String, String> forced) {
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
        } catch (org.apache.kafka.common.config.ConfigException e) {
          throw new ConfigException(s.prefix() + "." + name, "rejected by the Kafka client: " + rejection(e, name, value));
        }
      });
    }
    try {
      def.parse(merged);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      String safe = String.valueOf(e.getMessage());
      for (Map.Entry<String, Object> entry : merged.entrySet()) {
        String v = String.valueOf(entry.getValue());
        if (isSecret(entry.getKey()) && !v.isEmpty()) {
          safe = safe.replace(v, "***");
        }
      }
      throw new ConfigException(role.prefix(), "rejected by the Kafka client: " + safe);
    }
  }

  /** Kafka says "Invalid value X for configuration NAME: REASON"; keep REASON and add the value unless secret. */
  private static String rejection(Exception e, String name, String value) {
    String message = String.valueOf(e.getMessage());
    String marker = "for configuration " + name + ": ";
    int at = message.indexOf(marker);
    String reason = at >= 0 ? message.substring(at + marker.length()) : message;
    if (!isSecret(name)) {
      return reason + ", got " + Types.quote(value);
    }
    return (!value.isEmpty() && reason.contains(value) ? "invalid value" : reason) + " (value not shown: secret)";
  }

  private static Map<String, String> known(Map<String, String> common, Set<String> names) {
    Map<String, String> p = new TreeMap<>(common);
    p.keySet().retainAll(names);
    return p;
  }
}
