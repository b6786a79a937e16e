package dev.pew.intake.share;

import dev.pew.event.EventParser;
import dev.pew.event.InboundRecord;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lane's records on their way in and out: what a poll returned becomes leases (a renewed record
 * back in flight with its extended lock; a new one held with a conservative lock deadline and a
 * ledger ticket for its partition, a redelivered one asking for a fresh read of the ledger), and a
 * lease whose ticket is ready and whose lock has half a duration left becomes a {@link WorkItem}
 * (marked last when it is on the group's last delivery). Partition objects are made once per
 * partition of a poll, not per record. Confined to the lane's thread.
 */
final class LaneHandOver {

  private static final Logger LOG = LoggerFactory.getLogger(ShareLane.class);

  private final ShareLane lane;
  private final LaneRecords records;
  private final LedgerGate gate;
  private final EventParser parser;
  private final IntakeMetrics metrics;
  private final Clock clock;
  private final Consumer<ShareLease> itemDone;

  LaneHandOver(ShareLane lane, LaneRecords records, LedgerGate gate, EventParser parser, IntakeMetrics metrics, Clock clock,
      Consumer<ShareLease> itemDone) {
    this.lane = lane;
    this.records = records;
    this.gate = gate;
    this.parser = parser;
    this.metrics = metrics;
    this.clock = clock;
    this.itemDone = itemDone;
  }

  /**
   * Records a poll returned: renewed ones back in flight, new ones held. {@code acquiredFloor}: the
   * new ones were acquired no earlier than this (epoch millis); {@code s}: with the lock duration the
   * consumer reports.
   */
  void absorb(ConsumerRecords<byte[], byte[]> polled, long now, long acquiredFloor, ShareSettings s) {
    int fresh = 0;
    int redelivered = 0;
    int maxDelivery = 0;
    long slack = Math.min(1000, s.lockMs() / 10);
    long guard = s.lockMs() / 4;
    for (TopicPartition tp : polled.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
        ShareLease known = records.get(tp, r.offset());
        if (known != null && known.client != ShareLease.Client.GONE && known.client != ShareLease.Client.ACKING) {
          if (known.client == ShareLease.Client.RENEWED) {
            known.lock(known.renewSentAt + s.lockMs(), guard);
            known.proven = true;
          }
          known.client = ShareLease.Client.IN_FLIGHT;
          continue;
        }
        ShareLease lease = new ShareLease(lane, r, tp, acquiredFloor - slack + s.lockMs(), guard, now, clock, itemDone);
        lease.proven = !s.renewEnabled();
        fresh++;
        if (r.value() == null) {
          records.add(lease, null);
          lease.stage = ShareLease.Stage.SKIPPED;
          metrics.skipped("tombstone");
          continue;
        }
        boolean again = lease.deliveryCount > 1;
        if (again) {
          redelivered++;
          maxDelivery = Math.max(maxDelivery, lease.deliveryCount);
        }
        records.add(lease, gate.ticket(tp, again, now));
      }
    }
    if (fresh > 0) {
      metrics.consumed(fresh);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: acquired {} records {}, taken as acquired {} ms ago at the earliest", lane.name(), fresh,
            polled.partitions().stream().map(tp -> tp.partition() + ":" + polled.records(tp).stream()
                .map(r -> r.offset() + (r.deliveryCount().orElse((short) 1) > 1 ? "(d" + r.deliveryCount().get() + ")" : ""))
                .toList()).toList(), now - acquiredFloor + slack);
      }
    }
    if (redelivered > 0) {
      metrics.redelivered(redelivered);
      LOG.info("{}: {} of {} records acquired are redeliveries (delivery count up to {}): their partitions' sends are read "
          + "from the ledger again before they are dispatched", lane.name(), redelivered, fresh, maxDelivery);
    }
  }

  /**
   * Records that may go to the pipeline now: their ledger is ready, a renewal proved the lock, and it
   * has half a duration left.
   */
  List<WorkItem> ready(long now, ShareSettings s) {
    if (records.noneWaiting()) {
      return List.of();
    }
    List<WorkItem> batch = new ArrayList<>();
    Instant at = clock.instant();
    for (Iterator<Map.Entry<ShareLease, CompletableFuture<Void>>> it = records.waiting(); it.hasNext(); ) {
      Map.Entry<ShareLease, CompletableFuture<Void>> e = it.next();
      ShareLease l = e.getKey();
      if (l.stage != ShareLease.Stage.WAITING || l.client == ShareLease.Client.GONE) {
        it.remove();
        continue;
      }
      if (!e.getValue().isDone() || !l.proven || l.lockDeadline - now < s.lockMs() / 2) {
        continue; // the ledger is not ready, or the lock is to be confirmed by a renewal first
      }
      it.remove();
      ConsumerRecord<byte[], byte[]> r = l.record;
      InboundRecord in = new InboundRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers(), r.timestamp());
      l.stage = ShareLease.Stage.HANDED;
      batch.add(new WorkItem(in, l.partition, parser.parse(in), l, at,
          new WorkItem.Delivery(l.deliveryCount, l.deliveryCount >= s.deliveryLimit())));
    }
    return batch;
  }
}
