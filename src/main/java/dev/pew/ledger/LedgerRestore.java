package dev.pew.ledger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads ledger partitions to their end on a thread of its own, one restore at a time, into one
 * {@link SendTable} per input partition: entries older than the keep window are left out, foreign
 * and malformed records are skipped and counted. A restore that fails (the broker away, say) is
 * tried again every few seconds until it succeeds: records of a partition wait for its sends, they
 * are never dispatched without them. Logs its progress every two seconds.
 *
 * <p>Thread-safe: {@link #restore} may be called from any thread.
 */
public final class LedgerRestore implements Restorer, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerRestore.class);
  private static final long PROGRESS_MS = 2000;
  private static final long RETRY_MS = 2000;

  private final String topic;
  /** The ledger topic's partition count, resolved (the topic created if missing) before the first read. */
  private final java.util.function.IntSupplier resolvePartitions;
  private volatile int ledgerPartitions = -1;
  private final Map<String, Object> readerProps;
  private final LedgerMetrics metrics;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pew-ledger-restore");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /**
   * @param ledgerPartitions the topic's partition count when known at start, else -1: {@code
   *     resolvePartitions} then finds it (creating the topic when missing) on the restore thread
   */
  public LedgerRestore(String topic, int ledgerPartitions, java.util.function.IntSupplier resolvePartitions,
      Map<String, String> readerProps, LedgerMetrics metrics) {
    this.topic = topic;
    this.ledgerPartitions = ledgerPartitions;
    this.resolvePartitions = resolvePartitions;
    this.readerProps = new HashMap<>(readerProps);
    this.metrics = metrics;
  }

  /** The sends of these input partitions from {@code oldestMillis} on, by input partition number. */
  @Override
  public CompletableFuture<Map<Integer, SendTable>> restore(Collection<TopicPartition> inputs, long oldestMillis) {
    Set<Integer> wanted = new HashSet<>();
    inputs.forEach(tp -> wanted.add(tp.partition()));
    return CompletableFuture.supplyAsync(() -> {
      for (int attempt = 1; ; attempt++) {
        try {
          return read(wanted, oldestMillis);
        } catch (RuntimeException e) {
          if (closed) {
            throw e;
          }
          if (attempt == 1) {
            LOG.error("ledger: could not restore the sends of partitions {} from {} ({}); their records wait; retrying "
                + "every {} s", wanted, topic, e.toString(), RETRY_MS / 1000);
          }
          sleep(RETRY_MS);
        }
      }
    }, thread);
  }

  /** The ledger topic's partition count; -1 until the first restore began. Safe from any thread. */
  @Override
  public int partitions() {
    return ledgerPartitions;
  }

  private Map<Integer, SendTable> read(Set<Integer> wanted, long oldestMillis) {
    if (ledgerPartitions < 1) {
      ledgerPartitions = resolvePartitions.getAsInt();
    }
    long t0 = System.nanoTime();
    Set<TopicPartition> sources = new HashSet<>();
    wanted.forEach(p -> sources.add(new TopicPartition(topic, Math.floorMod(p, ledgerPartitions))));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(readerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(sources);
      Map<TopicPartition, Long> end = consumer.endOffsets(sources, Duration.ofSeconds(30));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(sources, Duration.ofSeconds(30));
      long total = sources.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
      Map<Integer, SendTable> tables = new HashMap<>();
      wanted.forEach(p -> tables.put(p, new SendTable((int) Math.min(Integer.MAX_VALUE / 2,
          total / Math.max(1, wanted.size())))));
      consumer.seekToBeginning(sources);
      long read = 0;
      long foreign = 0;
      long malformed = 0;
      long nextLog = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
      Set<TopicPartition> pending = new HashSet<>(sources);
      pending.removeIf(tp -> end.get(tp) <= begin.get(tp));
      while (!pending.isEmpty()) {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          read++;
          LedgerRecord.Kind kind = LedgerRecord.readInto(tables::get, r.key(), r.value(), oldestMillis, metrics);
          if (kind == LedgerRecord.Kind.FOREIGN) {
            foreign++;
          } else if (kind == LedgerRecord.Kind.MALFORMED) {
            malformed++;
          }
        }
        pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
        if (System.nanoTime() > nextLog) {
          LOG.info("ledger: restoring the sends of partitions {}: {} of {} records read", wanted, read, total);
          nextLog = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
        }
      }
      long entries = tables.values().stream().mapToLong(SendTable::size).sum();
      long nanos = System.nanoTime() - t0;
      metrics.ledgerRestored(nanos, entries);
      LOG.info("ledger: restored {} sends of partitions {} from {} records of {} in {} ms{}", entries, wanted, read, topic,
          TimeUnit.NANOSECONDS.toMillis(nanos), foreign + malformed > 0
              ? " (skipped " + foreign + " foreign and " + malformed + " malformed records)" : "");
      return tables;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
