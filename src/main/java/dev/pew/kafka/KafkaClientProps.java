package dev.pew.kafka;

import dev.pew.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client properties of the worker: its own safe defaults, then the operator's
 * pass-through properties ({@code kafka.common}, {@code kafka.consumer}, {@code kafka.producer},
 * {@code KAFKA_*}), then the properties the worker's guarantees depend on, which nobody overrides
 * (the config loader already rejects attempts).
 */
public final class KafkaClientProps {

  private KafkaClientProps() {}

  public static Map<String, Object> consumer(WorkerConfig c, String clientId) {
    Map<String, String> operator = only(c.kafkaCommon(), ConsumerConfig.configNames());
    operator.putAll(c.kafkaConsumer());
    Map<String, Object> p = new HashMap<>();
    // Defaults an operator may change.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group must not skip events already waiting
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // never act on an aborted upstream transaction
    if (!usesConsumerProtocol(operator)) {
      // Classic protocol only: with group.protocol=consumer (KIP-848) the broker assigns and sets the
      // session, and the client refuses these two.
      p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
    }
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(1, Math.min(500, c.maxBuffered()))));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.putAll(operator);
    // The worker's guarantees.
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, c.kafkaGroupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  public static Map<String, String> producer(WorkerConfig c, String clientId) {
    Map<String, String> p = new HashMap<>();
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Fail a send within 30 s so the worker notices a broker outage, reports not-ready and retries.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-results");
    p.putAll(only(c.kafkaCommon(), ProducerConfig.configNames()));
    p.putAll(c.kafkaProducer());
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** Whether these consumer properties ask for the KIP-848 consumer group protocol ({@code group.protocol=consumer}). */
  static boolean usesConsumerProtocol(Map<String, ?> consumerProperties) {
    Object protocol = consumerProperties.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    return protocol != null && GroupProtocol.CONSUMER.name().equalsIgnoreCase(protocol.toString().strip());
  }

  /** The common properties a client type knows (others would only log "unused config" warnings). */
  private static Map<String, String> only(Map<String, String> common, java.util.Set<String> known) {
    Map<String, String> p = new HashMap<>();
    common.forEach((k, v) -> {
      if (known.contains(k)) {
        p.put(k, v);
      }
    });
    return p;
  }

  /** For the readiness check's admin client: common properties only. */
  public static Map<String, String> admin(WorkerConfig c, String clientId) {
    Map<String, String> p = new HashMap<>(only(c.kafkaCommon(), AdminClientConfig.configNames()));
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrapServers());
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-health");
    p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    return p;
  }
}
