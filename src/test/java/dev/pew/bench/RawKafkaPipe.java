package dev.pew.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw Kafka ceiling of the benchmark: what this machine's broker and Kafka clients can do
 * with no HTTP call at all. Consumes the input topic with the worker's consumer settings, produces
 * one result-sized record per input (same key, a JSON value of the worker's result shape) with the
 * worker's producer settings (acks=all, idempotent, lz4, linger 5 ms), and commits each poll's
 * offsets once its results are acknowledged. At-least-once like the worker, but without parsing,
 * calling, retrying or tracking anything per record.
 *
 * <pre>java -cp ... dev.pew.bench.RawKafkaPipe bootstrap groupId inputTopic outputTopic pauseFile</pre>
 *
 * <p>Prints "assigned" once it owns partitions. While {@code pauseFile} exists it reads nothing
 * (and prints "paused" once it has stopped), so the benchmark can lay a backlog on the topic after
 * the warm-up: this pipe consumes faster than any load generator could produce. Stops on SIGTERM.
 * Single-threaded.
 */
public final class RawKafkaPipe {

  static final String ASSIGNED = "assigned";
  static final String PAUSED = "paused";

  private RawKafkaPipe() {}

  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println("usage: RawKafkaPipe bootstrap groupId inputTopic outputTopic pauseFile");
      System.exit(2);
    }
    String output = args[3];
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(args[0], args[1]),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(args[0]),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        consumer.wakeup();
        try {
          main.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          System.out.println(ASSIGNED + " " + partitions.size() + " partitions");
        }
      });
      pipe(consumer, producer, output, java.nio.file.Path.of(args[4]));
    } catch (WakeupException stopping) {
      // SIGTERM
    }
  }

  private static void pipe(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
      String output, java.nio.file.Path pauseFile) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    boolean paused = false;
    while (true) {
      boolean pause = java.nio.file.Files.exists(pauseFile);
      if (pause && !paused) {
        consumer.pause(consumer.assignment());
        System.out.println(PAUSED);
      } else if (!pause && paused) {
        consumer.resume(consumer.paused());
      }
      paused = pause;
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(paused ? 10 : 100));
      if (records.isEmpty()) {
        continue;
      }
      offsets.clear();
      String receivedAt = Instant.now().toString();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        producer.send(new ProducerRecord<>(output, r.key(), result(r, receivedAt)));
        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      }
      producer.flush(); // results acknowledged before their inputs are committed, as the worker does
      consumer.commitAsync(new HashMap<>(offsets), null);
    }
  }

  /** A value of the size and shape of the worker's SENT result (the input is not parsed). */
  static byte[] result(ConsumerRecord<byte[], byte[]> r, String receivedAt) {
    String email = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    String now = Instant.now().toString();
    return ("{\"eventId\":\"" + r.topic() + "-" + r.partition() + "-" + r.offset() + "\",\"status\":\"SENT\","
        + "\"cname\":\"tenant\",\"email\":\"" + email + "\",\"attempts\":1,\"httpStatus\":200,\"error\":null,"
        + "\"source\":{\"topic\":\"" + r.topic() + "\",\"partition\":" + r.partition() + ",\"offset\":" + r.offset()
        + "},\"receivedAt\":\"" + receivedAt + "\",\"completedAt\":\"" + now + "\",\"durationMs\":0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Properties consumerProps(String bootstrap, String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    return p;
  }

  private static Properties producerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return p;
  }
}
