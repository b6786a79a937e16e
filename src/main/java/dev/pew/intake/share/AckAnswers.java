package dev.pew.intake.share;

import dev.pew.intake.IntakeMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's answers to one lane's acknowledgements, applied to the leases that wait for them: a
 * renewal answered is RENEWED (the record comes back with the next poll), one refused ends the lease
 * (no new call starts; a record not handed over yet is let go without a call); an ACCEPT or RELEASE
 * answered lets the record go. Counts commit latency, renewals and locks lost. Runs inside the share
 * consumer's calls, on the lane's thread, like {@link LaneRecords}.
 */
final class AckAnswers {

  private static final Logger LOG = LoggerFactory.getLogger(AckAnswers.class);

  private final String name;
  private final LaneRecords records;
  private final IntakeMetrics metrics;
  private final Clock clock;

  AckAnswers(String name, LaneRecords records, IntakeMetrics metrics, Clock clock) {
    this.name = name;
    this.records = records;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Applies the broker's answer to acknowledgements; the leases it ends are counted by {@link LaneRecords}. */
  void apply(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
    long now = clock.millis();
    int renewedNow = 0;
    int lostNow = 0;
    int staleNow = 0;
    long oldestAck = Long.MAX_VALUE;
    int acks = 0;
    for (Map.Entry<TopicIdPartition, Set<Long>> e : offsets.entrySet()) {
      TopicPartition tp = e.getKey().topicPartition();
      for (long offset : e.getValue()) {
        ShareLease l = records.answered(tp, offset);
        if (l == null) {
          continue;
        }
        if (l.client == ShareLease.Client.RENEWING) {
          if (error == null) {
            l.client = ShareLease.Client.RENEWED;
            renewedNow++;
          } else if (l.stage == ShareLease.Stage.WAITING) {
            records.gone(l); // never handed over: nothing was called
            staleNow++;
          } else {
            records.gone(l);
            if (records.endLease(l)) {
              lostNow++;
            }
          }
        } else if (l.client == ShareLease.Client.ACKING) {
          acks++;
          oldestAck = Math.min(oldestAck, l.ackSentAt);
          if (error != null && l.stage == ShareLease.Stage.COMPLETED) {
            LOG.warn("{}: {}: its result is published but the broker refused its acknowledgement ({}): it is delivered "
                + "again, and the ledger answers it without a call if it was sent", name, l, error.getMessage());
          }
          l.client = ShareLease.Client.GONE;
        }
      }
    }
    if (acks > 0) {
      metrics.commit((now - oldestAck) * 1_000_000L, error == null);
    }
    if (renewedNow > 0) {
      metrics.locksRenewed(renewedNow);
    }
    if (staleNow > 0) {
      LOG.info("{}: {} records not handed over yet had lost their locks (acquired by a fetch the consumer sent on its own "
          + "and kept in its buffer past the lock): let go without a call; the broker delivers them again", name, staleNow);
    }
    if (lostNow > 0) {
      metrics.locksLost(lostNow);
      LOG.warn("{}: the broker refused to renew the locks of {} records ({}): no new call starts for them; they are "
          + "delivered again", name, lostNow, error == null ? "" : error.getMessage());
    }
  }
}
