package dev.pew.kafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The properties of each Kafka client the worker makes: its own defaults, then the operator's
 * pass-through properties ({@code kafka.common}, {@code kafka.consumer}, {@code kafka.producer} in
 * the file, or {@code KAFKA_*} variables), then the properties the worker's guarantees depend on,
 * listed once in {@link #CONSUMER_FORCED} and {@link #PRODUCER_FORCED}, which nobody overrides.
 * The pass-through properties are checked when this is made ({@link PassThroughCheck}), so a typo
 * stops start-up instead of the first connection. Knows nothing of the worker's own settings.
 * Immutable and thread-safe.
 */
public final class KafkaClients {

  /** Where a pass-through property applies; {@code kafka.consumer} is the file key and the error-key prefix. */
  public enum Section {
    COMMON, CONSUMER, PRODUCER;

    public String prefix() {
      return "kafka." + name().toLowerCase(Locale.ROOT);
    }

    /** Whether a client this section feeds understands {@code property}. */
    public boolean knows(String property) {
      return (this != PRODUCER && PassThroughCheck.CONSUMER_DEF.names().contains(property))
          || (this != CONSUMER && PassThroughCheck.PRODUCER_DEF.names().contains(property));
    }
  }

  /** Pass-through properties by section, as given. Filled by one thread while the configuration loads. */
  public static final class Sections extends EnumMap<Section, Map<String, String>> {
    public Sections() {
      super(Section.class);
      for (Section s : Section.values()) {
        put(s, new TreeMap<>());
      }
    }

    /**
     * Takes environment variable {@code name}, a {@code KAFKA_} one: {@code KAFKA_SASL_MECHANISM} is
     * {@code sasl.mechanism} in {@code kafka.common}, {@code KAFKA_CONSUMER_*} and {@code KAFKA_PRODUCER_*}
     * one client's. A name no client knows ({@code KAFKA_HOME}) is skipped: the warning says so.
     */
    public Optional<String> putVariable(String name, String value) {
      Section section = name.startsWith("KAFKA_CONSUMER_") ? Section.CONSUMER
          : name.startsWith("KAFKA_PRODUCER_") ? Section.PRODUCER : Section.COMMON;
      String property = propertyName(name.substring(section == Section.COMMON ? 6 : 15));
      // Managed names (KAFKA_ENABLE_AUTO_COMMIT) go through to fail clearly: whoever set them meant the worker.
      if (property.isEmpty() || !(section.knows(property) || refuses(property, value))) {
        return Optional.of("ignoring environment variable " + name + ": \"" + property + "\" is not a Kafka "
            + (section == Section.COMMON ? "client" : section.name().toLowerCase(Locale.ROOT)) + " property");
      }
      get(section).put(property, value);
      return Optional.empty();
    }
  }

  /** The section whose config-file key is {@code key} ({@code "kafka.consumer"}), if any. */
  public static Optional<Section> section(String key) {
    return Arrays.stream(Section.values()).filter(s -> s.prefix().equals(key)).findFirst();
  }

  /** Where a config-file key that is no setting belongs, when it is a Kafka property or a {@code KAFKA_} name. */
  public static Optional<String> misplaced(String key) {
    if (key.equals("kafka")) {
      return Optional.of("put Kafka client properties in top-level \"kafka.common\", \"kafka.consumer\" "
          + "or \"kafka.producer\" objects, not nested under \"kafka\"");
    }
    if (Section.COMMON.knows(key)) {
      return Optional.of("unknown key; Kafka client properties go in \"kafka.common\", \"kafka.consumer\" or \"kafka.producer\"");
    }
    return key.startsWith("KAFKA_") ? Optional.of("unknown key; in the config file put Kafka client properties in "
        + "\"kafka.common\" by their own name (\"" + propertyName(key.substring(6)) + "\")") : Optional.empty();
  }

  /** {@code SASL_JAAS_CONFIG} is {@code sasl.jaas.config}. */
  private static String propertyName(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static final Map<String, String> CONSUMER_FORCED = Map.of(
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  /** How long a producer keeps an idle topic's metadata: ten years, in effect for its life (Kafka adds it to now). */
  static final long KEEP_TOPIC_METADATA_MS = Duration.ofDays(3650).toMillis();
  static final Map<String, String> PRODUCER_FORCED = Map.of(
      ProducerConfig.ACKS_CONFIG, "all",
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

  private final String bootstrap;
  private final String groupId;
  private final Sections sections;

  /**
   * {@code share}: the intake is a share consumer ({@code INTAKE=share}), whose refusals are checked too.
   *
   * @throws PropertyException for the first pass-through property refused
   */
  public KafkaClients(String bootstrap, String groupId, Sections sections, boolean share) {
    this.bootstrap = bootstrap;
    this.groupId = groupId;
    this.sections = sections;
    PassThroughCheck.check(bootstrap, sections, share, consumerProtocol());
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
    p.putAll(known(sections.get(Section.COMMON), PassThroughCheck.CONSUMER_DEF.names()));
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
    p.putAll(known(sections.get(Section.COMMON), PassThroughCheck.CONSUMER_DEF.names()));
    p.putAll(sections.get(Section.CONSUMER));
    p.keySet().removeAll(PassThroughCheck.SHARE_REFUSED.keySet());
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
    Map<String, String> p = new LinkedHashMap<>(known(sections.get(Section.COMMON), PassThroughCheck.CONSUMER_DEF.names()));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "8388608"); // a restore reads fast, but within a small heap
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4194304");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return p;
  }

  /**
   * Properties of the worker's producers: {@code acks=all}, idempotent. Each keeps the metadata of
   * every topic it has sent to for as long as it lives ({@code metadata.max.idle.ms}: ten years, not
   * Kafka's 5 minutes): a send to a topic whose metadata Kafka forgot waits for a fetch of it (up to
   * {@code max.block.ms}), or, from the event loop ({@link #eventLoopProducer}), is refused and
   * retried, holding intake meanwhile; and the worker's topics are few and fixed, some of them quiet
   * for hours (failed results, dead letters, the ledger of an idle worker).
   */
  public Map<String, String> producer(String clientId) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, String.valueOf(KEEP_TOPIC_METADATA_MS));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Fail a send within 30 s so the worker notices a broker outage, reports not-ready and retries.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-results");
    p.putAll(known(sections.get(Section.COMMON), PassThroughCheck.PRODUCER_DEF.names()));
    p.putAll(sections.get(Section.PRODUCER));
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(PRODUCER_FORCED);
    return p;
  }

  /**
   * Properties of a producer whose {@code send} is called on an event loop (the result and ledger
   * producers): {@link #producer}'s, with {@code max.block.ms=0} whatever the pass-through properties
   * say, so that Kafka's {@code send} never waits on that loop. Without it, {@code send} waits for a
   * topic's metadata it does not have, and for buffer space, up to {@code max.block.ms}: a minute by
   * Kafka's default, 10 s by {@link #producer}'s. A producer that finds no broker rebootstraps
   * (Kafka 4's {@code metadata.recovery.strategy=rebootstrap}) and forgets every topic, so during an
   * outage every send would wait that long. With 0 such a send fails at once with a
   * {@link org.apache.kafka.common.errors.TimeoutException} ("not present in metadata after 0 ms"),
   * which the publishers retry like any refusal, and the fetch it asked for goes on in Kafka's I/O
   * thread. {@code partitionsFor} does not wait either: fetching ahead polls it (see the publishers'
   * {@code warm}).
   */
  public Map<String, String> eventLoopProducer(String clientId) {
    Map<String, String> p = producer(clientId);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
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

  /** Whether the value of a property must never be printed (by name: passwords, JAAS, private keys). */
  public static boolean isSecret(String name) {
    return PassThroughCheck.isSecret(name);
  }

  /** Whether the worker refuses {@code property} with this value whatever the section (it sets it itself). */
  public static boolean refuses(String property, String value) {
    return PassThroughCheck.refusal(property, value).isPresent();
  }

  /** Whether the consumer uses the KIP-848 consumer group protocol ({@code group.protocol=consumer}). */
  public boolean consumerProtocol() {
    String protocol = sections.get(Section.CONSUMER).getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        sections.get(Section.COMMON).getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"));
    return protocol.strip().equalsIgnoreCase("consumer");
  }

  private static Map<String, String> known(Map<String, String> common, Set<String> names) {
    Map<String, String> p = new TreeMap<>(common);
    p.keySet().retainAll(names);
    return p;
  }
}
