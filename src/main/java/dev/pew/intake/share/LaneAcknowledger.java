package dev.pew.intake.share;

import dev.pew.intake.IntakeMetrics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one lane tells the broker about its records: ACCEPT for a record whose result is
 * acknowledged, RELEASE for one let go, RENEW for every unfinished one once the first of them is
 * half-way to its lock's (conservative) expiry, so that they come back together with one poll; and
 * a lease whose lock runs out before a renewal ends, so that no new call starts for it. Counts the
 * leases it ends through {@link LaneRecords#endLease}. Confined to the lane's thread, like its consumer.
 */
final class LaneAcknowledger {

  private static final Logger LOG = LoggerFactory.getLogger(LaneAcknowledger.class);

  private final String name;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final LaneRecords records;
  private final IntakeMetrics metrics;

  LaneAcknowledger(String name, ShareConsumer<byte[], byte[]> consumer, LaneRecords records, IntakeMetrics metrics) {
    this.name = name;
    this.consumer = consumer;
    this.records = records;
    this.metrics = metrics;
  }

  /** ACCEPT or RELEASE what the pipeline finished; ends leases whose lock is running out. Returns whether anything was acknowledged. */
  boolean acknowledgeFinished(long now, ShareSettings s) {
    boolean any = false;
    for (ShareLease l : records.all()) {
      if (l.client != ShareLease.Client.IN_FLIGHT) {
        if (l.client == ShareLease.Client.GONE) {
          records.dropIfWaiting(l);
        }
        continue;
      }
      if (!l.stage.finished() && now >= l.lockDeadline - s.lockMs() / 4) {
        // In the pipeline: the lease ends (it keeps being renewed while calls finish). Not handed over yet:
        // a renewal tells whether the lock is still held, unless renewals are off.
        if (l.stage == ShareLease.Stage.HANDED || !s.renewEnabled()) {
          expire(l);
        }
      }
      if (l.stage.finished()) {
        any |= acknowledge(l, l.stage.acknowledgement(), now);
      }
    }
    return any;
  }

  /** A lock that was not renewed in time: nothing new may start; a record not yet handed over is let go. */
  private void expire(ShareLease l) {
    if (records.endLease(l)) {
      if (l.stage == ShareLease.Stage.HANDED) {
        metrics.locksLost(1);
      }
      LOG.warn("{}: {}: its acquisition lock runs out (not renewed in time): no new call starts for it; the broker "
          + "delivers it again", name, l);
    }
    records.dropIfWaiting(l);
  }

  /** Sends {@code type} for {@code l} (with the next commit); false when the consumer no longer holds it. */
  boolean acknowledge(ShareLease l, AcknowledgeType type, long now) {
    try {
      consumer.acknowledge(l.record, type);
    } catch (IllegalStateException e) {
      // The consumer no longer holds it (it dropped a batch, say): nothing to send.
      LOG.warn("{}: {}: the consumer cannot acknowledge it any more ({})", name, l, e.getMessage());
      records.gone(l);
      return false;
    }
    l.client = type == AcknowledgeType.RENEW ? ShareLease.Client.RENEWING : ShareLease.Client.ACKING;
    records.sent(l);
    if (type == AcknowledgeType.RENEW) {
      l.renewSentAt = now;
    } else {
      l.ackSentAt = now;
    }
    return true;
  }

  /** Whether an unfinished record in flight is half-way to its lock's expiry, or its lock is not proven yet. */
  boolean renewDue(long now, ShareSettings s) {
    if (!s.renewEnabled()) {
      return false;
    }
    for (ShareLease l : records.all()) {
      if (l.client == ShareLease.Client.IN_FLIGHT && !l.stage.finished()
          && (!l.proven || now >= l.lockDeadline - s.lockMs() / 2)) {
        return true;
      }
    }
    return false;
  }

  /** RENEW every unfinished record in flight, so that they come back together with one poll. */
  void renewAll(long now) {
    int n = 0;
    for (ShareLease l : records.all()) {
      if (l.client == ShareLease.Client.IN_FLIGHT && !l.stage.finished() && acknowledge(l, AcknowledgeType.RENEW, now)) {
        n++;
      }
    }
    if (LOG.isDebugEnabled()) { // the minimum is a walk over every record: only when it is printed
      LOG.debug("{}: renewing the locks of {} records (first deadline in {} ms)", name, n, records.all().stream()
          .filter(l -> l.client == ShareLease.Client.RENEWING).mapToLong(l -> l.lockDeadline - now).min().orElse(-1));
    }
  }

  /**
   * At close: ACCEPT or RELEASE what finished, RELEASE what is still in the pipeline. Returns how many
   * records are released unfinished (those still being renewed are released by closing the consumer).
   */
  int acknowledgeAtClose(long now) {
    int unfinished = 0;
    for (ShareLease l : records.all()) {
      if (l.client == ShareLease.Client.IN_FLIGHT) {
        if (!l.stage.finished()) {
          unfinished++;
        }
        acknowledge(l, l.stage.finished() ? l.stage.acknowledgement() : AcknowledgeType.RELEASE, now);
      } else if ((l.client == ShareLease.Client.RENEWING || l.client == ShareLease.Client.RENEWED) && !l.stage.finished()) {
        unfinished++;
      }
    }
    return unfinished;
  }
}
