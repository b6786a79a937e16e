package dev.pew.intake.share;

import dev.pew.intake.PartitionListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a share-group record may be dispatched, as far as the ledger of sends is concerned. Every
 * member takes records from every partition, so the {@link PartitionListener} (the ledger) is told
 * that this instance gained every input partition, and no record of a partition is handed over
 * before its sends are restored.
 *
 * <p>A redelivered record (delivery count above 1) may have been sent by the member that held it
 * before (it crashed, or lost the lock, after recording the send and before acknowledging): such a
 * record waits until its partition's sends were read again, by a read that started after the record
 * arrived (the worker's ledger follows the whole topic in share mode: a read is it catching up to
 * the topic's end as of the read's start), so that the ledger answers a crashed member's send
 * without a call. Reads are coalesced:
 * all partitions waiting when one read starts go in that read; records arriving during it wait for
 * the next one.
 *
 * <p>Thread-safe (the intake's lanes ask for tickets from their own threads); the listener's
 * futures complete elsewhere, only their state is read here.
 */
final class LedgerGate {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerGate.class);

  private final PartitionListener listener;
  /** Every partition told to the listener, with the restore it waits for (done once restored). */
  private final Map<TopicPartition, CompletableFuture<Void>> restored = new HashMap<>();
  /** The read running now, and when it started. */
  private CompletableFuture<Void> reading;
  private long readingSince;
  /** Partitions and waiters for the read after the current one. */
  private final Set<TopicPartition> nextPartitions = new HashSet<>();
  private CompletableFuture<Void> next;

  LedgerGate(PartitionListener listener) {
    this.listener = listener;
  }

  /** Tells the listener about partitions it does not know yet; returns when all of {@code partitions} are restored. */
  synchronized CompletableFuture<Void> gain(Collection<TopicPartition> partitions) {
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (!restored.containsKey(tp)) {
        fresh.add(tp);
      }
    }
    if (!fresh.isEmpty()) {
      CompletableFuture<Void> f = listener.gained(fresh).toCompletableFuture();
      fresh.forEach(tp -> restored.put(tp, f));
      LOG.info("ledger: restoring the sends of {} input partitions {} before their records are dispatched", fresh.size(), fresh);
    }
    return CompletableFuture.allOf(partitions.stream().map(restored::get).toArray(CompletableFuture[]::new));
  }

  /** Partitions whose sends are still being restored (their records wait; not ready meanwhile). */
  synchronized int waiting() {
    int n = 0;
    for (CompletableFuture<Void> f : restored.values()) {
      if (!f.isDone()) {
        n++;
      }
    }
    return n;
  }

  synchronized Set<TopicPartition> known() {
    return Set.copyOf(restored.keySet());
  }

  /**
   * What a record of {@code tp} that arrived at {@code arrivedAt} waits for before it is dispatched:
   * its partition's restore, and for a redelivered record a read of its partition that started
   * after it arrived.
   */
  synchronized CompletableFuture<Void> ticket(TopicPartition tp, boolean redelivered, long arrivedAt) {
    CompletableFuture<Void> base = gain(List.of(tp));
    if (!redelivered) {
      return base;
    }
    if (reading != null && !reading.isDone() && readingSince >= arrivedAt) {
      return reading;
    }
    nextPartitions.add(tp);
    if (next == null) {
      next = new CompletableFuture<>();
    }
    return next;
  }

  /** Starts the next read when one is wanted and none runs; call every loop. */
  synchronized void advance(long now) {
    if (next == null || (reading != null && !reading.isDone()) || waiting() > 0) {
      return;
    }
    Set<TopicPartition> partitions = new HashSet<>(nextPartitions);
    CompletableFuture<Void> waiters = next;
    nextPartitions.clear();
    next = null;
    readingSince = now;
    LOG.debug("ledger: reading the sends of {} again for redelivered records", partitions);
    reading = listener.gained(partitions).toCompletableFuture();
    reading.whenComplete((v, e) -> waiters.complete(null));
  }
}
