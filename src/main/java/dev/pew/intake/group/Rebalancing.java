package dev.pew.intake.group;

import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.PartitionListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the group intake does when partitions come and go, inside Kafka's callbacks on the polling
 * thread, so that it happens before the partitions move.
 *
 * <p>Guarantees: an assigned partition starts from its committed offset and skips what the previous
 * owner's commit metadata says it finished, and none of its records is handed over before the
 * {@link PartitionListener} is ready for it (the ledger restored its sends); a revoked partition stops starting calls (its lease
 * ends), waits up to the revoke timeout for its calls in flight and their results, and commits
 * synchronously before the callback returns; a lost partition is dropped without a commit. Runs on
 * the intake thread.
 */
final class Rebalancing implements ConsumerRebalanceListener {

  private static final Logger LOG = LoggerFactory.getLogger(Rebalancing.class);

  private final GroupIntake intake;
  private final OffsetTracker tracker;
  private final Map<TopicPartition, PartitionLease> leases;
  private final IntakeSink sink;
  private final IntakeMetrics metrics;
  private final PartitionListener listener;
  /** How long a revoke may wait for calls in flight now, in milliseconds. */
  private final LongSupplier revokeBudgetMs;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Commits commits;

  Rebalancing(GroupIntake intake, OffsetTracker tracker, Map<TopicPartition, PartitionLease> leases, IntakeSink sink,
      IntakeMetrics metrics, PartitionListener listener, LongSupplier revokeBudgetMs) {
    this.intake = intake;
    this.tracker = tracker;
    this.leases = leases;
    this.sink = sink;
    this.metrics = metrics;
    this.listener = listener;
    this.revokeBudgetMs = revokeBudgetMs;
  }

  /** The consumer this listens for, once it exists (before it subscribes). */
  void attach(KafkaConsumer<byte[], byte[]> consumer, Commits commits) {
    this.consumer = consumer;
    this.commits = commits;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    intake.joined();
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    try {
      committed.putAll(consumer.committed(new HashSet<>(partitions), Duration.ofSeconds(15)));
    } catch (RuntimeException e) {
      LOG.warn("could not read committed offsets of {}: {}; finished-offset hints of the previous owner are ignored",
          partitions, e.toString());
    }
    int inherited = 0;
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata om = committed.get(tp);
      tracker.assign(tp, om);
      if (om != null) {
        inherited += CompletedOffsets.decode(om.metadata()).map(CompletedOffsets::count).orElse(0);
      }
      leases.put(tp, new PartitionLease(tp));
    }
    intake.assignmentChanged();
    intake.waitFor(partitions, listener.gained(partitions));
    LOG.info("assigned {}{}", partitions, inherited > 0 ? "; " + inherited
        + " records above the committed offsets were finished by the previous owner and will be skipped" : "");
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<PartitionLease> ending = new ArrayList<>();
    int unfinishedAtStart = 0;
    for (TopicPartition tp : partitions) {
      PartitionLease lease = leases.get(tp);
      if (lease != null) {
        lease.end();
        ending.add(lease);
        unfinishedAtStart += lease.unfinished();
      }
    }
    sink.releaseInactive();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(revokeBudgetMs.getAsLong());
    int left = 0;
    try {
      for (PartitionLease lease : ending) {
        if (!lease.awaitDrained(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
          left += lease.unfinished();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    intake.drainCompletions();
    commits.sync(tracker.finalCommits(partitions), "revoke");
    forget(partitions);
    metrics.handoverDrained(unfinishedAtStart - left);
    if (unfinishedAtStart > 0 || left > 0) {
      LOG.info("revoked {}: waited for {} unfinished records (calls in flight finished, queued ones released){}",
          partitions, unfinishedAtStart, left > 0 ? "; " + left + " still unfinished after the timeout will be redone by the next owner" : "");
    } else {
      LOG.info("revoked {}", partitions);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      PartitionLease lease = leases.get(tp);
      if (lease != null) {
        lease.end();
      }
    }
    sink.releaseInactive();
    forget(partitions);
    LOG.warn("lost {} (the group moved on without us): no commit possible; unfinished records there will be redone", partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    listener.lost(partitions);
    intake.stopWaiting(partitions);
    tracker.remove(partitions);
    for (TopicPartition tp : partitions) {
      leases.remove(tp);
      metrics.lagGone(tp);
    }
    intake.assignmentChanged();
  }
}
