package dev.pew.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Restorer} of {@code INTAKE=share}, where every instance takes records of every
 * partition: it reads every partition of the ledger topic from the keep window on and keeps
 * reading it, so the sends other instances record reach this one's memory within a poll, not only
 * at its start. It keeps one {@link SendTable} per input partition, always the same object, and
 * reads each poll's records into them on {@code deliver} (the worker's event loop, where the {@link
 * Ledger} looks them up and adds its own sends): a restore hands the ledger those tables, so a
 * restore that comes again (the re-read a redelivered record waits for) replaces nothing.
 *
 * <p>Guarantee: the future of {@link #restore} completes, on {@code deliver}, after every record
 * that was in the topic when it was called (the end offsets asked for after the call) has been read
 * into the tables. It only completes exceptionally when the follower closes. A read that fails (the
 * broker away) is retried every two seconds from where it stopped; restores keep waiting meanwhile.
 * The {@code oldestMillis} of a restore is not used: the window is {@code keepMs}, from the start.
 *
 * <p>Threading: reads on a thread of its own ({@code pew-ledger-follow}), started by the first
 * restore; the tables are touched on {@code deliver} only; {@link #restore}, {@link #partitions()}
 * and {@link #close()} are safe from any thread.
 */
public final class LedgerFollower implements Restorer, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerFollower.class);
  private static final long RETRY_MS = 2000;
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final IntSupplier resolvePartitions;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final long keepMs;
  private final Clock clock;
  private final Executor deliver;
  private final LedgerMetrics metrics;
  private final Queue<CompletableFuture<Void>> requests = new ConcurrentLinkedQueue<>();
  /** Input partition to its sends; on {@code deliver} only. */
  private final Map<Integer, SendTable> tables = new HashMap<>();
  private volatile int ledgerPartitions = -1;
  private volatile boolean closed;
  private volatile Thread thread;
  /** On {@code deliver}: whether a restore has completed (the first one is logged). */
  private boolean restoredOnce;

  /**
   * @param consumers a new consumer without a group (a {@code KafkaConsumer} of the reader properties),
   *     again after a failure; the follower closes it
   * @param resolvePartitions the ledger topic's partition count (checking or creating the topic);
   *     called on the follower's thread, again after a failure
   * @param keepMs how far back entries matter ({@link LedgerOptions#keepMs()})
   */
  public LedgerFollower(String topic, IntSupplier resolvePartitions, Supplier<Consumer<byte[], byte[]>> consumers, long keepMs,
      Clock clock, Executor deliver, LedgerMetrics metrics) {
    this.topic = topic;
    this.resolvePartitions = resolvePartitions;
    this.consumers = consumers;
    this.keepMs = keepMs;
    this.clock = clock;
    this.deliver = deliver;
    this.metrics = metrics;
  }

  /** The tables of {@code inputs}, once everything in the topic now is in them (see the class comment). */
  @Override
  public CompletableFuture<Map<Integer, SendTable>> restore(Collection<TopicPartition> inputs, long oldestMillis) {
    start();
    long t0 = System.nanoTime();
    return caughtUp().thenApplyAsync(v -> {
      Map<Integer, SendTable> out = new HashMap<>();
      inputs.forEach(tp -> out.put(tp.partition(), table(tp.partition())));
      long sends = out.values().stream().mapToLong(SendTable::size).sum();
      metrics.ledgerRestored(System.nanoTime() - t0, sends);
      if (!restoredOnce) {
        restoredOnce = true;
        LOG.info("ledger: restored {} sends of partitions {} from every partition of {} (followed from now on) in {} ms",
            sends, out.keySet(), topic, (System.nanoTime() - t0) / 1_000_000);
      }
      return out;
    }, deliver);
  }

  private synchronized void start() {
    if (thread == null && !closed) {
      thread = new Thread(this::run, "pew-ledger-follow");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private CompletableFuture<Void> caughtUp() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("ledger follower closed"));
      return done;
    }
    requests.add(done);
    return done;
  }

  /** On {@code deliver}. */
  private SendTable table(int inputPartition) {
    return tables.computeIfAbsent(inputPartition, p -> new SendTable(1024));
  }

  /** On {@code deliver}: the records of one poll, in order. */
  private void read(List<ConsumerRecord<byte[], byte[]>> records) {
    long oldest = clock.millis() - keepMs;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      LedgerRecord.readInto(this::table, r.key(), r.value(), oldest, metrics);
    }
  }

  /** The ledger topic's partition count; -1 until the follower found it. */
  @Override
  public int partitions() {
    return ledgerPartitions;
  }

  /** Stops reading (its thread ends within a poll and closes its consumer); never blocks. */
  @Override
  public void close() {
    closed = true;
    CompletableFuture<Void> f;
    while ((f = requests.poll()) != null) {
      f.completeExceptionally(new IllegalStateException("ledger follower closed"));
    }
  }

  private void run() {
    Map<TopicPartition, Long> positions = new HashMap<>();
    List<Waiter> waiters = new ArrayList<>(); // kept across a failure: the ends they wait for stay valid
    boolean failedBefore = false;
    while (!closed) {
      try (Consumer<byte[], byte[]> consumer = consumers.get()) {
        if (ledgerPartitions < 1) {
          ledgerPartitions = resolvePartitions.getAsInt();
        }
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < ledgerPartitions; p++) {
          all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        seek(consumer, all, positions);
        if (failedBefore) {
          LOG.info("ledger: following {} again", topic);
          failedBefore = false;
        }
        follow(consumer, all, positions, waiters);
      } catch (RuntimeException e) {
        if (closed) {
          break;
        }
        if (!failedBefore) {
          LOG.error("ledger: could not follow {} ({}); records that wait for it wait; retrying every {} s", topic, e.toString(),
              RETRY_MS / 1000);
          failedBefore = true;
        }
        sleep(RETRY_MS);
      }
    }
    waiters.forEach(w -> w.done.completeExceptionally(new IllegalStateException("ledger follower closed")));
  }

  /** From where it stopped; the first time from the oldest entry that can matter. */
  private void seek(Consumer<byte[], byte[]> consumer, List<TopicPartition> all, Map<TopicPartition, Long> positions) {
    Map<TopicPartition, Long> since = new HashMap<>();
    for (TopicPartition tp : all) {
      Long at = positions.get(tp);
      if (at != null) {
        consumer.seek(tp, at);
      } else {
        since.put(tp, clock.millis() - keepMs);
      }
    }
    if (since.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since, Duration.ofSeconds(30));
    Map<TopicPartition, Long> end = consumer.endOffsets(since.keySet(), Duration.ofSeconds(30));
    for (TopicPartition tp : since.keySet()) {
      OffsetAndTimestamp at = found.get(tp);
      consumer.seek(tp, at != null ? at.offset() : end.get(tp));
    }
  }

  private void follow(Consumer<byte[], byte[]> consumer, List<TopicPartition> all, Map<TopicPartition, Long> positions,
      List<Waiter> waiters) {
    while (!closed) {
      if (!requests.isEmpty()) {
        Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
        CompletableFuture<Void> f;
        while ((f = requests.poll()) != null) {
          waiters.add(new Waiter(f, end));
        }
      }
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      consumer.poll(POLL).forEach(records::add);
      for (TopicPartition tp : all) {
        positions.put(tp, consumer.position(tp));
      }
      if (!records.isEmpty()) {
        deliver.execute(() -> read(records));
      }
      // Handed to the same executor after the records: completes once they are in the tables.
      waiters.removeIf(w -> {
        if (!w.reached(positions)) {
          return false;
        }
        deliver.execute(() -> w.done.complete(null));
        return true;
      });
    }
  }

  private record Waiter(CompletableFuture<Void> done, Map<TopicPartition, Long> end) {
    boolean reached(Map<TopicPartition, Long> positions) {
      return end.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
