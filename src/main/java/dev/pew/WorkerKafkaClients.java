package dev.pew;

import dev.pew.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka clients the worker makes besides its intake, one per role, each named by the instance
 * id and its role ({@code pew-1a2b3c4d-ledger}, {@code -ledger-restore}, {@code -control}), so a
 * broker's logs and quotas tell the roles apart; and what a role needs beyond {@link KafkaClients}'
 * properties (the ledger's producer sends at once).
 *
 * <p>Guarantee: the admin client is created and closed on a worker thread, never on the event loop
 * (both may block: bootstrap address resolution, waiting for the admin thread); everything else
 * only builds properties or a non-blocking Vert.x producer, on the verticle's event loop while the
 * worker starts. Holds no client itself: whoever asks for one closes it.
 */
final class WorkerKafkaClients {

  private final Vertx vertx;
  private final KafkaClients kafka;
  private final String instanceId;

  WorkerKafkaClients(Vertx vertx, KafkaClients kafka, String instanceId) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.instanceId = instanceId;
  }

  /**
   * Kafka's own admin client for the readiness check and the topic checks (vertx-kafka-client's
   * admin is built against Kafka 3.7 and breaks on 4.x clients), created on a worker thread.
   */
  Future<Admin> createAdmin() {
    Map<String, Object> props = new HashMap<>(kafka.admin(instanceId));
    return vertx.executeBlocking(() -> Admin.create(props));
  }

  /** Closes {@code admin} on a worker thread, waiting up to 5 s for its thread. */
  Future<Void> closeAdmin(Admin admin) {
    return vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(5));
      return null;
    });
  }

  /**
   * The producer of the result and dead-letter topics, under the instance id itself; it sends from
   * the event loop, so it never blocks ({@link KafkaClients#eventLoopProducer}).
   */
  KafkaProducer<byte[], byte[]> resultProducer() {
    return KafkaProducer.create(vertx, kafka.eventLoopProducer(instanceId));
  }

  /**
   * The ledger's producer, which sends from the event loop and never blocks
   * ({@link KafkaClients#eventLoopProducer}): no linger, since a recorded send frees its call's permit and nothing
   * should wait; no compression, since its records are a few dozen bytes sent at once, batches of one
   * or a few records that compression only makes costlier to write and for the broker to check.
   */
  Map<String, String> ledgerProducer() {
    Map<String, String> props = new HashMap<>(kafka.eventLoopProducer(instanceId + "-ledger"));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return props;
  }

  /** The reader that restores the ledger's sends of newly owned partitions. */
  Map<String, String> ledgerRestoreReader() {
    return kafka.reader(instanceId + "-ledger-restore");
  }

  /** A new reader of the whole ledger topic, for the share mode's follower (its restore reader's properties). */
  Consumer<byte[], byte[]> ledgerFollowReader() {
    return new KafkaConsumer<>(new HashMap<String, Object>(ledgerRestoreReader()), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  Map<String, String> controlProducer() {
    return kafka.producer(instanceId + "-control");
  }

  Map<String, String> controlReader() {
    return kafka.reader(instanceId + "-control");
  }
}
