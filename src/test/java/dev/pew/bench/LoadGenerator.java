package dev.pew.bench;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the benchmark's onboarding events to the input topic: a backlog as fast as the broker
 * takes it, or an open-loop stream at a fixed rate (the schedule does not wait for the worker, so
 * latency is measured as a user would see it). Every record carries an explicit timestamp, kept
 * here, which end-to-end latency is measured from.
 *
 * <p>Not thread-safe: one caller thread.
 */
final class LoadGenerator implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final long[] inputTimestamps;

  LoadGenerator(String bootstrap, String topic, int capacity) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.inputTimestamps = new long[capacity];
  }

  /** Sends events {@code from} to {@code to} (exclusive) as fast as possible and waits for the acks. */
  void backlog(int from, int to) {
    for (int i = from; i < to; i++) {
      send(i);
    }
    producer.flush();
  }

  /**
   * Sends events {@code from} to {@code to} (exclusive) at {@code perSecond}, each at its scheduled
   * time (a late one goes at once, the schedule does not slip), and waits for the acks.
   */
  void paced(int from, int to, double perSecond) {
    long start = System.nanoTime();
    double intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    for (int i = from; i < to; i++) {
      long due = start + (long) ((i - from) * intervalNanos);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      send(i);
    }
    producer.flush();
  }

  private void send(int index) {
    long now = System.currentTimeMillis();
    inputTimestamps[index] = now;
    producer.send(new ProducerRecord<>(topic, null, now, BenchEvents.key(index), BenchEvents.value(index)));
  }

  /** The input timestamp (epoch ms) of an event sent by this generator. */
  long inputTimestamp(int index) {
    return inputTimestamps[index];
  }

  @Override
  public void close() {
    producer.close();
  }
}
