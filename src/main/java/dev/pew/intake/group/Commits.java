package dev.pew.intake.group;

import dev.pew.intake.IntakeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explicit offset commits of the group intake: periodic ones asynchronously (at most one in flight,
 * at most one per {@code minIntervalMs}, only for partitions that changed, with a backoff after
 * failures so a broker outage neither spins nor floods the log), final ones synchronously before
 * partitions move.
 *
 * <p>Not thread-safe: used on the intake thread, which owns the consumer.
 */
final class Commits {

  private static final Logger LOG = LoggerFactory.getLogger(Commits.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final OffsetTracker tracker;
  private final IntakeMetrics metrics;
  private final Clock clock;
  private final long minIntervalMs;
  private boolean inFlight;
  private int failures;
  private long nextAt;

  Commits(KafkaConsumer<byte[], byte[]> consumer, OffsetTracker tracker, IntakeMetrics metrics, Clock clock, long minIntervalMs) {
    this.consumer = consumer;
    this.tracker = tracker;
    this.metrics = metrics;
    this.clock = clock;
    this.minIntervalMs = minIntervalMs;
  }

  /** Commits what changed since the last commit, asynchronously, when one is due. */
  void periodic() {
    long now = clock.millis();
    if (inFlight || now < nextAt) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();
    if (due.isEmpty()) {
      return;
    }
    inFlight = true;
    nextAt = now + minIntervalMs;
    long t0 = System.nanoTime();
    consumer.commitAsync(due, (offsets, error) -> {
      inFlight = false;
      metrics.commit(System.nanoTime() - t0, error == null);
      if (error == null) {
        tracker.committed(due);
        if (failures > 0) {
          LOG.info("offset commits work again after {} failed attempts", failures);
        }
        failures = 0;
        return;
      }
      tracker.commitFailed(due);
      failures++;
      nextAt = clock.millis() + Math.min(5000, 100L << Math.min(failures, 6));
      if (error instanceof RebalanceInProgressException) {
        // Normal while the group rebalances; the revoke callback commits synchronously anyway.
        LOG.debug("offset commit deferred: rebalance in progress");
      } else if (failures == 1) {
        LOG.warn("offset commit failed, retrying with backoff (logged once until it works): {}", error.toString());
      } else {
        LOG.debug("offset commit failed again: {}", error.toString());
      }
    });
  }

  /** Whether no commit is on its way and no partition changed since its last commit point. */
  boolean settled() {
    return !inFlight && !tracker.anyChanged();
  }

  /** Commits {@code due} synchronously; returns whether it worked. {@code why} names the occasion in the log. */
  boolean sync(Map<TopicPartition, OffsetAndMetadata> due, String why) {
    if (due.isEmpty()) {
      return true;
    }
    long t0 = System.nanoTime();
    try {
      consumer.commitSync(due, Duration.ofSeconds(10));
      metrics.commit(System.nanoTime() - t0, true);
      tracker.committed(due);
      return true;
    } catch (RuntimeException e) {
      metrics.commit(System.nanoTime() - t0, false);
      LOG.warn("offset commit ({}) failed: {}; unfinished work there will be redone by the next owner", why, e.toString());
      return false;
    }
  }
}
