package dev.pew.intake.group;

import dev.pew.intake.IntakeSink;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Which assigned partitions the group intake reads: none while the pipeline has {@code maxBuffered}
 * records unfinished, refuses intake (holding, results failing) or the worker stops; and never a
 * newly owned partition whose records wait for something (the ledger restoring its sends) until
 * that completes. It pauses and resumes the consumer's partitions itself, never with a bare pause:
 * a resume leaves the waiting partitions paused.
 *
 * <p>Guarantee: records are read only while fewer than {@code maxBuffered} are unfinished (one poll
 * may overshoot by up to max.poll.records), so memory stays bounded however large the backlog is;
 * a waiting partition's records are not read until it is ready. Threading: confined to the intake
 * thread (the consumer is passed to each call, as it is made on that thread), except {@link
 * #paused()} and {@link #waitingPartitions()}, which are safe from any thread.
 */
final class PartitionPauses {

  private final IntakeSink sink;
  private final int maxBuffered;
  /** Assigned partitions whose records wait (the ledger restores their sends), with what they wait for. */
  private final Map<TopicPartition, CompletableFuture<Void>> waiting = new HashMap<>();
  private volatile boolean paused;
  private volatile int restoring;

  PartitionPauses(IntakeSink sink, int maxBuffered) {
    this.sink = sink;
    this.maxBuffered = maxBuffered;
  }

  /** Keeps these partitions paused, and their records back, until {@code ready} completes. */
  void waitFor(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, CompletionStage<Void> ready) {
    CompletableFuture<Void> f = ready.toCompletableFuture();
    if (!f.isDone()) {
      partitions.forEach(tp -> waiting.put(tp, f));
      consumer.pause(partitions);
    }
  }

  /** Forgets what these partitions wait for (they are no longer owned). */
  void stopWaiting(Collection<TopicPartition> partitions) {
    partitions.forEach(waiting::remove);
  }

  /** Whether {@code tp}'s records wait: a poll that brought them reads them again once it is ready. */
  boolean waiting(TopicPartition tp) {
    return waiting.containsKey(tp);
  }

  /** Pauses or resumes before each poll; {@code stopping} pauses every assigned partition. */
  void adjust(Consumer<?, ?> consumer, boolean stopping) {
    boolean ready = waiting.values().removeIf(CompletableFuture::isDone);
    restoring = waiting.size();
    // No low-water mark: slow or hung calls could hold the count above it forever and starve
    // intake while call slots are free. One poll may overshoot by up to max.poll.records.
    boolean pause = stopping || sink.pending() >= maxBuffered || !sink.acceptingIntake();
    if (pause) {
      Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
      toPause.removeAll(consumer.paused());
      if (!toPause.isEmpty()) {
        consumer.pause(toPause);
      }
      paused = true;
      return;
    }
    if (paused || ready) {
      Set<TopicPartition> toResume = new HashSet<>(consumer.paused());
      toResume.removeAll(waiting.keySet());
      consumer.resume(toResume);
    }
    paused = false;
  }

  /** Intake is paused: the pipeline is full or refuses intake, or the worker stops. */
  boolean paused() {
    return paused;
  }

  /** Owned partitions whose records wait for the ledger's restore. */
  int waitingPartitions() {
    return restoring;
  }
}
