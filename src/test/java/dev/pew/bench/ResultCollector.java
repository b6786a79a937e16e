package dev.pew.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the result topics of one run from the beginning on a thread of its own and records, per
 * event index, the result's record timestamp (set by the worker's producer when it sent the
 * result) and the result's own {@code receivedAt} and {@code completedAt}, which split the
 * end-to-end latency into intake, work and publishing. Counts results, failures and duplicates.
 *
 * <p>Thread-safe: the reader thread writes, any thread reads the counters; timestamps are read
 * after {@link #awaitResults} has seen them all (the volatile counter orders the writes before).
 */
final class ResultCollector implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final long[] resultTimestamps;
  private final long[] receivedAt;
  private final long[] completedAt;
  private final String failedTopic;
  private final AtomicInteger results = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final int detailFrom;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Exception failure;

  private ResultCollector(String bootstrap, List<String> topics, String failedTopic, int capacity, int detailFrom) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      partitions.addAll(partitionsOf(consumer, topic));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.failedTopic = failedTopic;
    this.detailFrom = detailFrom;
    this.resultTimestamps = new long[capacity];
    this.receivedAt = new long[capacity];
    this.completedAt = new long[capacity];
    Arrays.fill(resultTimestamps, -1);
    this.thread = new Thread(this::readLoop, "bench-result-collector");
    thread.setDaemon(true);
  }

  /** A topic created a moment ago may not be in the metadata yet: asks again until it is. */
  private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions in the metadata after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Starts reading {@code sentTopic} and {@code failedTopic}; events have indexes below {@code
   * capacity}. Only results of events from {@code detailFrom} on have their JSON read (for the
   * latency split): parsing every result of a backlog would take CPU from the worker under test.
   */
  static ResultCollector start(String bootstrap, String sentTopic, String failedTopic, int capacity, int detailFrom) {
    ResultCollector c = new ResultCollector(bootstrap, List.of(sentTopic, failedTopic), failedTopic, capacity,
        detailFrom);
    c.thread.start();
    return c;
  }

  private void readLoop() {
    try {
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          int index = BenchEvents.indexOf(r.key());
          if (index < 0 || index >= resultTimestamps.length) {
            continue;
          }
          if (resultTimestamps[index] >= 0) {
            duplicates.incrementAndGet();
            continue;
          }
          if (index >= detailFrom) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            receivedAt[index] = instantField(json, "receivedAt");
            completedAt[index] = instantField(json, "completedAt");
          }
          resultTimestamps[index] = r.timestamp();
          if (r.topic().equals(failedTopic)) {
            failed.incrementAndGet();
          }
          results.incrementAndGet();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Exception e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The epoch ms of a result's timestamp field ({@code "name":"2026-...Z"}), -1 when absent. */
  static long instantField(String json, String name) {
    int at = json.indexOf("\"" + name + "\":\"");
    if (at < 0) {
      return -1;
    }
    int from = at + name.length() + 4;
    int to = json.indexOf('"', from);
    try {
      return Instant.parse(json.substring(from, to)).toEpochMilli();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  int results() {
    return results.get();
  }

  int failed() {
    return failed.get();
  }

  int duplicates() {
    return duplicates.get();
  }

  /**
   * Waits until {@code total} distinct events have a result. False when {@code timeout} passes or
   * {@code stillRunning} says the consumers under test have died.
   */
  boolean awaitResults(int total, Duration timeout, java.util.function.BooleanSupplier stillRunning)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (results.get() < total) {
      if (failure != null) {
        throw new IllegalStateException("reading the result topics failed", failure);
      }
      if (System.nanoTime() > deadline || !stillRunning.getAsBoolean()) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The result timestamps (epoch ms) of events {@code from} (inclusive) to {@code to} (exclusive); -1: none. */
  long[] timestamps(int from, int to) {
    return Arrays.copyOfRange(resultTimestamps, from, to);
  }

  /** The results' {@code receivedAt} (epoch ms) of events {@code from} to {@code to} (exclusive). */
  long[] receivedAt(int from, int to) {
    return Arrays.copyOfRange(receivedAt, from, to);
  }

  /** The results' {@code completedAt} (epoch ms) of events {@code from} to {@code to} (exclusive). */
  long[] completedAt(int from, int to) {
    return Arrays.copyOfRange(completedAt, from, to);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
