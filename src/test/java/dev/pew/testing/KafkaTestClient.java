package dev.pew.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain Kafka clients for tests: create topics, produce inputs, read everything from the result
 * topics, read committed offsets. Not thread-safe; one per test.
 */
public final class KafkaTestClient implements AutoCloseable {

  private static final AtomicInteger SEQ = new AtomicInteger();

  private final String bootstrap;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  public KafkaTestClient(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static KafkaTestClient shared() {
    return new KafkaTestClient(KafkaBroker.bootstrapServers());
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** A name no other test uses. */
  public static String unique(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates the topics (existing ones are fine) and returns once every partition takes writes. */
  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String n : names) {
      topics.add(new NewTopic(n, partitions, (short) 1));
    }
    try {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(e);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    awaitWritable(admin, List.of(names));
  }

  /**
   * Waits until the leader of every partition of {@code topics} serves requests (a ListOffsets
   * answers). CreateTopics returns before the broker has opened the new partitions, and a broker up
   * to Kafka 4.4 then lets an idempotent producer's records be reordered: a first batch refused
   * with NOT_LEADER_OR_FOLLOWER, a second one accepted a moment later as the partition opens, every
   * retry of the first refused with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout
   * (KAFKA-15591, KAFKA-14312, KAFKA-19880; fixed in 4.5). Seen here on 4.3.1 with the test
   * producer's first sends to a just created topic.
   */
  public static void awaitWritable(Admin admin, Collection<String> topics) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> {
          Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
          admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).forEach((name, description) ->
              description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                  org.apache.kafka.clients.admin.OffsetSpec.latest())));
          admin.listOffsets(request, new org.apache.kafka.clients.admin.ListOffsetsOptions().timeoutMs(2000))
              .all().get(5, TimeUnit.SECONDS);
          return true;
        });
  }

  public void send(String topic, String key, String value) {
    send(new ProducerRecord<>(topic, bytes(key), bytes(value)));
  }

  public void send(ProducerRecord<byte[], byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends many records and waits for all acknowledgements once at the end. */
  public void sendAll(Collection<ProducerRecord<byte[], byte[]>> records) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : records) {
      acks.add(producer.send(r));
    }
    for (java.util.concurrent.Future<?> f : acks) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Everything currently in the topics, read from the beginning (read_committed not needed). */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String... topics) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t, Duration.ofSeconds(10))
            .forEach(pi -> tps.add(new TopicPartition(t, pi.partition())));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** How many records the topics hold (end offsets summed; the topics are never compacted here). */
  public long count(String... topics) {
    return readAll(topics).size();
  }

  /** Committed offsets of a group, with their metadata. */
  public Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    try {
      return new HashMap<>(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sets dynamic configs of a group (it need not exist yet), as {@code kafka-configs --entity-type groups} would. */
  public void alterGroupConfig(String groupId, Map<String, String> configs) {
    List<org.apache.kafka.clients.admin.AlterConfigOp> ops = new ArrayList<>();
    configs.forEach((k, v) -> ops.add(new org.apache.kafka.clients.admin.AlterConfigOp(
        new org.apache.kafka.clients.admin.ConfigEntry(k, v), org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
    try {
      org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.GROUP, groupId);
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
      // The controller took them; a broker answers describeConfigs from its metadata, which follows a
      // moment later: wait until it shows them, so a reader right after this sees the new values.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        org.apache.kafka.clients.admin.Config now = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS)
            .get(resource);
        if (configs.entrySet().stream().allMatch(e -> now.get(e.getKey()) != null
            && e.getValue().equals(now.get(e.getKey()).value()))) {
          return;
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("group " + groupId + ": the broker does not show " + configs + " within 10 s");
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Admin admin() {
    return admin;
  }

  public static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  public static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : text(h.value());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
