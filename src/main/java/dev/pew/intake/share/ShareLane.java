package dev.pew.intake.share;

import dev.pew.event.EventParser;
import dev.pew.event.InboundRecord;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer of the intake and the records it holds: acquires a batch, hands its records to
 * the pipeline, renews their acquisition locks while they are worked on, and acknowledges each one
 * once the pipeline is done with it (ACCEPT after its result is acknowledged, RELEASE when it was let
 * go).
 *
 * <p><b>How Kafka 4.3's share consumer is driven here</b> (explicit acknowledgement, {@code
 * share.acquire.mode=record_limit}). Every record a poll returned must be acknowledged before the
 * next poll, and a poll returns new records only once every record of the previous one was
 * acknowledged with ACCEPT, RELEASE or REJECT; so a lane holds one batch at a time (the intake runs
 * several lanes so that one slow record does not stop intake). Acknowledgements go out with {@code
 * commitAsync()}, which also runs the acknowledgement callback. A RENEW extends a lock and the
 * renewed record is returned again by a later poll; a poll made while a renewal is still unanswered
 * also fetches (and locks) new records behind the lane's back, so the lane polls for renewed records
 * only once every renewal it sent was answered: then the poll fetches nothing. Renewals go out for
 * all unfinished records of the lane together, once the first of them is half-way to its lock's
 * expiry. Every poll that finds no records asks for a fetch, and one asked for while the previous
 * fetch's records are being taken in fetches a second batch that waits, locked, in the consumer's
 * buffer: so a lane asking for records waits inside one poll ({@code askTimeout}, during which the
 * consumer keeps fetching by itself) instead of polling again and again.
 *
 * <p><b>Lock expiry, conservatively.</b> A record's lock runs from when the broker acquired it, which
 * the client does not report. A batch is taken to be acquired no earlier than the previous poll that
 * found nothing (or, for the first poll after a batch, when that batch arrived: a fetch may have been
 * sent behind the lane's back then), less a slack; a renewal no earlier than when it was sent.
 * Records whose estimate leaves less than half a lock are renewed before they are handed over, which
 * proves the lock is still held. A record's lease ends a quarter lock before the estimate.
 *
 * <p>Confined to the lane's own thread, like its consumer (the acknowledgement callback runs inside
 * the consumer's calls on that thread), except {@link #deliver}, {@link #hasNotices} and {@link
 * #wakeup}, which any thread may call.
 */
final class ShareLane {

  private static final Logger LOG = LoggerFactory.getLogger(ShareLane.class);

  /** Where a record is held: its partition and offset. */
  private record Key(TopicPartition partition, long offset) {}

  /** What the pipeline did with a record: completed (result acknowledged) or let go. */
  private record Notice(ShareLease lease, boolean completed) {}

  private final String name;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final Duration askTimeout;
  private final java.util.concurrent.ConcurrentLinkedQueue<Notice> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile Thread thread;
  private int completedDuringShutdown;
  private final Clock clock;
  private final Supplier<ShareSettings> settings;
  private final LedgerGate gate;
  private final EventParser parser;
  private final IntakeMetrics metrics;
  private final Consumer<ShareLease> itemDone;
  private final Map<Key, ShareLease> held = new LinkedHashMap<>();
  private final Map<ShareLease, CompletableFuture<Void>> tickets = new LinkedHashMap<>();
  /**
   * Leases whose acknowledgement (or renewal) is unanswered, per record, in the order sent: answers
   * for one partition come back in order, and a record released and acquired again may have an old
   * and a new lease waiting at once.
   */
  private final Map<Key, java.util.ArrayDeque<ShareLease>> awaiting = new java.util.HashMap<>();
  /** Records acquired no earlier than this (epoch millis, before the slack). */
  private long acquiredFloor;
  private long lastPollAt;
  /** Any poll, for max.poll.interval.ms. */
  private long lastAnyPollAt;
  private boolean askedSinceBatch;
  private boolean shuttingDown;
  private int lost;

  /**
   * @param askTimeout how long a poll for new records may wait: the consumer keeps fetching within one
   *     poll, while every new poll may send a fetch of its own (see the class comment)
   */
  ShareLane(String name, ShareConsumer<byte[], byte[]> consumer, Duration askTimeout, Clock clock,
      Supplier<ShareSettings> settings, LedgerGate gate, EventParser parser, IntakeMetrics metrics,
      Consumer<ShareLease> itemDone) {
    this.name = name;
    this.consumer = consumer;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.settings = settings;
    this.gate = gate;
    this.parser = parser;
    this.metrics = metrics;
    this.itemDone = itemDone;
  }

  String name() {
    return name;
  }

  /** The thread that runs this lane (to wake it). */
  void runOn(Thread t) {
    thread = t;
  }

  /** From the intake's main thread: the pipeline completed (or let go) this lane's record. */
  void deliver(ShareLease lease, boolean completed) {
    inbox.add(new Notice(lease, completed));
    Thread t = thread;
    if (t != null) {
      java.util.concurrent.locks.LockSupport.unpark(t);
    }
  }

  /** Notices waiting; the lane's thread parks only when there are none. */
  boolean hasNotices() {
    return !inbox.isEmpty();
  }

  /** Interrupts a poll that waits for records (shutdown). Any thread. */
  void wakeup() {
    consumer.wakeup();
  }

  private void applyInbox() {
    Notice n;
    while ((n = inbox.poll()) != null) {
      ShareLease l = n.lease();
      if (l.stage == ShareLease.Stage.HANDED) {
        l.stage = n.completed() ? ShareLease.Stage.COMPLETED : ShareLease.Stage.RELEASED;
        if (n.completed() && shuttingDown) {
          completedDuringShutdown++;
        }
      }
    }
  }

  /** Records the pipeline completed after shutdown began (calls in flight that finished). */
  int completedDuringShutdown() {
    return completedDuringShutdown;
  }

  void subscribe(String topic) {
    consumer.setAcknowledgementCommitCallback(this::acknowledged);
    consumer.subscribe(List.of(topic));
    acquiredFloor = clock.millis();
    lastPollAt = acquiredFloor;
    lastAnyPollAt = acquiredFloor;
  }

  /** When the consumer last polled (epoch millis). */
  long lastPollAt() {
    return lastAnyPollAt;
  }

  /** Records held and not yet handed over, in the pipeline, or waiting for the broker's answer. */
  int held() {
    return held.size();
  }

  /** Records of this lane in the pipeline now. */
  int inPipeline() {
    int n = 0;
    for (ShareLease l : held.values()) {
      if (l.stage == ShareLease.Stage.HANDED) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether the lane still has work before it may close: records in the pipeline, or finished ones
   * whose renewal is out (they can be accepted only once the consumer returns them; closing now would
   * release them, and their results would be published again by the next holder).
   */
  boolean busy() {
    for (ShareLease l : held.values()) {
      if (l.stage == ShareLease.Stage.HANDED || l.client == ShareLease.Client.RENEWING
          || l.client == ShareLease.Client.RENEWED) {
        return true;
      }
    }
    return false;
  }

  /** Leases this lane ended since the last call (locks lost): the pipeline should release their queued items. */
  int takeLost() {
    int n = lost;
    lost = 0;
    return n;
  }

  /**
   * One turn: acknowledges what the pipeline is done with, ends leases whose lock is running out,
   * renews locks that are half-way, polls when the consumer allows it and records are wanted (or
   * renewed ones are due back), and returns the records that may be handed over now.
   *
   * @param wantMore whether to acquire new records if the lane holds none
   * @param keepAlive poll even without {@code wantMore} (the consumer must poll within {@code
   *     max.poll.interval.ms} to stay in the group)
   */
  List<WorkItem> step(boolean wantMore, boolean keepAlive) {
    applyInbox();
    consumer.commitAsync(); // runs the acknowledgement callbacks of answers that arrived
    long now = clock.millis();
    ShareSettings s = settings.get();
    boolean send = acknowledgeFinished(now, s);
    if (renewDue(now, s)) {
      renewAll(now);
      send = true;
    }
    if (send) {
      consumer.commitAsync();
    }
    removeSettled();
    if (count(ShareLease.Client.IN_FLIGHT) == 0 && count(ShareLease.Client.RENEWING) == 0) {
      if (count(ShareLease.Client.RENEWED) > 0) {
        lastAnyPollAt = now;
        try {
          ConsumerRecords<byte[], byte[]> back = consumer.poll(Duration.ZERO); // renewed records back; fetches nothing
          LOG.debug("{}: {} renewed records back of {}", name, back.count(), count(ShareLease.Client.RENEWED));
          absorb(back, now, s);
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          // shutdown woke a poll that was not waiting: they come back at the next turn
        }
      } else if (!shuttingDown && (wantMore || keepAlive) && consumerHoldsNone()) {
        ask(now, s);
      }
    }
    return handOver(clock.millis(), s);
  }

  /** When the consumer holds nothing of this lane's, a poll may acquire a new batch. */
  private boolean consumerHoldsNone() {
    for (ShareLease l : held.values()) {
      if (l.client != ShareLease.Client.GONE && l.client != ShareLease.Client.ACKING) {
        return false;
      }
    }
    return true;
  }

  private void ask(long now, ShareSettings s) {
    long floor = askedSinceBatch ? lastPollAt : acquiredFloor;
    lastPollAt = now;
    lastAnyPollAt = now;
    askedSinceBatch = true;
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(askTimeout);
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      return; // shutdown
    }
    if (!records.isEmpty()) {
      acquiredFloor = floor;
      absorb(records, now, s);
      acquiredFloor = clock.millis();
      askedSinceBatch = false;
    }
  }

  /** Records a poll returned: renewed ones back in flight, new ones held. */
  private void absorb(ConsumerRecords<byte[], byte[]> records, long now, ShareSettings s) {
    s = s.withLockMs(consumer.acquisitionLockTimeoutMs().orElse((int) s.lockMs()));
    int fresh = 0;
    int redelivered = 0;
    int maxDelivery = 0;
    long slack = Math.min(1000, s.lockMs() / 10);
    long guard = s.lockMs() / 4;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Key key = new Key(new TopicPartition(r.topic(), r.partition()), r.offset());
      ShareLease known = held.get(key);
      if (known != null && known.client != ShareLease.Client.GONE && known.client != ShareLease.Client.ACKING) {
        if (known.client == ShareLease.Client.RENEWED) {
          known.lock(known.renewSentAt + s.lockMs(), guard);
        }
        known.client = ShareLease.Client.IN_FLIGHT;
        continue;
      }
      ShareLease lease = new ShareLease(this, r, acquiredFloor - slack + s.lockMs(), guard, now, clock, itemDone);
      held.put(key, lease);
      fresh++;
      if (r.value() == null) {
        lease.stage = ShareLease.Stage.SKIPPED;
        metrics.skipped("tombstone");
        continue;
      }
      boolean again = lease.deliveryCount > 1;
      if (again) {
        redelivered++;
        maxDelivery = Math.max(maxDelivery, lease.deliveryCount);
      }
      tickets.put(lease, gate.ticket(lease.partition, again, now));
    }
    if (fresh > 0) {
      metrics.consumed(fresh);
    }
    if (redelivered > 0) {
      metrics.redelivered(redelivered);
      LOG.info("{}: {} of {} records acquired are redeliveries (delivery count up to {}): their partitions' sends are read "
          + "from the ledger again before they are dispatched", name, redelivered, fresh, maxDelivery);
    }
  }

  /** ACCEPT or RELEASE what the pipeline finished; ends leases whose lock is running out. Returns whether anything was acknowledged. */
  private boolean acknowledgeFinished(long now, ShareSettings s) {
    boolean any = false;
    for (ShareLease l : held.values()) {
      if (l.client != ShareLease.Client.IN_FLIGHT) {
        if (l.stage == ShareLease.Stage.WAITING && l.client == ShareLease.Client.GONE) {
          l.stage = ShareLease.Stage.DROPPED;
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
    if (!l.ended()) {
      l.end();
      lost++;
      if (l.stage == ShareLease.Stage.HANDED) {
        metrics.locksLost(1);
      }
      LOG.warn("{}: {}: its acquisition lock runs out (not renewed in time): no new call starts for it; the broker "
          + "delivers it again", name, l);
    }
    if (l.stage == ShareLease.Stage.WAITING) {
      l.stage = ShareLease.Stage.DROPPED;
      tickets.remove(l);
    }
  }

  private boolean acknowledge(ShareLease l, AcknowledgeType type, long now) {
    try {
      consumer.acknowledge(l.record, type);
    } catch (IllegalStateException e) {
      // The consumer no longer holds it (it dropped a batch, say): nothing to send.
      LOG.warn("{}: {}: the consumer cannot acknowledge it any more ({})", name, l, e.getMessage());
      gone(l);
      return false;
    }
    l.client = type == AcknowledgeType.RENEW ? ShareLease.Client.RENEWING : ShareLease.Client.ACKING;
    awaiting.computeIfAbsent(new Key(l.partition, l.offset()), k -> new java.util.ArrayDeque<>()).add(l);
    if (type == AcknowledgeType.RENEW) {
      l.renewSentAt = now;
    } else {
      l.ackSentAt = now;
    }
    return true;
  }

  private boolean renewDue(long now, ShareSettings s) {
    if (!s.renewEnabled()) {
      return false;
    }
    for (ShareLease l : held.values()) {
      if (l.client == ShareLease.Client.IN_FLIGHT && !l.stage.finished() && now >= l.lockDeadline - s.lockMs() / 2) {
        return true;
      }
    }
    return false;
  }

  /** RENEW every unfinished record in flight, so that they come back together with one poll. */
  private void renewAll(long now) {
    int n = 0;
    for (ShareLease l : held.values()) {
      if (l.client == ShareLease.Client.IN_FLIGHT && !l.stage.finished() && acknowledge(l, AcknowledgeType.RENEW, now)) {
        n++;
      }
    }
    LOG.debug("{}: renewing the locks of {} records (first deadline in {} ms)", name, n, held.values().stream()
        .filter(l -> l.client == ShareLease.Client.RENEWING).mapToLong(l -> l.lockDeadline - now).min().orElse(-1));
  }

  /** The broker's answer to acknowledgements (runs inside the consumer's calls, on the intake thread). */
  private void acknowledged(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
    long now = clock.millis();
    int renewedNow = 0;
    int lostNow = 0;
    int staleNow = 0;
    long oldestAck = Long.MAX_VALUE;
    int acks = 0;
    for (Map.Entry<TopicIdPartition, Set<Long>> e : offsets.entrySet()) {
      TopicPartition tp = e.getKey().topicPartition();
      for (long offset : e.getValue()) {
        Key key = new Key(tp, offset);
        java.util.ArrayDeque<ShareLease> queue = awaiting.get(key);
        ShareLease l = queue == null ? null : queue.poll();
        if (queue != null && queue.isEmpty()) {
          awaiting.remove(key);
        }
        if (l == null) {
          continue;
        }
        if (l.client == ShareLease.Client.RENEWING) {
          if (error == null) {
            l.client = ShareLease.Client.RENEWED;
            renewedNow++;
          } else if (l.stage == ShareLease.Stage.WAITING) {
            gone(l); // never handed over: nothing was called
            staleNow++;
          } else {
            gone(l);
            if (!l.ended()) {
              l.end();
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
      lost += lostNow;
      metrics.locksLost(lostNow);
      LOG.warn("{}: the broker refused to renew the locks of {} records ({}): no new call starts for them; they are "
          + "delivered again", name, lostNow, error == null ? "" : error.getMessage());
    }
  }

  private void gone(ShareLease l) {
    l.client = ShareLease.Client.GONE;
    if (l.stage == ShareLease.Stage.WAITING) {
      l.stage = ShareLease.Stage.DROPPED;
      tickets.remove(l);
    }
  }

  /** Records that may go to the pipeline now: their ledger is ready and their lock has half a duration left. */
  private List<WorkItem> handOver(long now, ShareSettings s) {
    if (tickets.isEmpty() || shuttingDown) {
      return List.of();
    }
    List<WorkItem> batch = new ArrayList<>();
    Instant at = clock.instant();
    for (Iterator<Map.Entry<ShareLease, CompletableFuture<Void>>> it = tickets.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<ShareLease, CompletableFuture<Void>> e = it.next();
      ShareLease l = e.getKey();
      if (l.stage != ShareLease.Stage.WAITING || l.client == ShareLease.Client.GONE) {
        it.remove();
        continue;
      }
      if (!e.getValue().isDone() || l.lockDeadline - now < s.lockMs() / 2) {
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

  private void removeSettled() {
    held.values().removeIf(ShareLease::settled);
  }

  private int count(ShareLease.Client state) {
    int n = 0;
    for (ShareLease l : held.values()) {
      if (l.client == state) {
        n++;
      }
    }
    return n;
  }

  /** Shutdown begins: every lease ends; records not handed over are let go; no new records are acquired. */
  int beginShutdown() {
    shuttingDown = true;
    int dropped = 0;
    for (ShareLease l : held.values()) {
      l.end();
      if (l.stage == ShareLease.Stage.WAITING) {
        l.stage = ShareLease.Stage.DROPPED;
        dropped++;
      }
    }
    tickets.clear();
    return dropped;
  }

  /**
   * Shutdown ends: acknowledges what finished, releases what is still in the pipeline after the grace
   * period, waits up to {@code timeout} for the broker's answer, and closes the consumer (which
   * releases records still being renewed). Returns how many records were released unfinished.
   */
  int close(Duration timeout) {
    applyInbox();
    long now = clock.millis();
    int unfinished = 0;
    try {
      consumer.commitAsync();
      for (ShareLease l : held.values()) {
        if (l.client == ShareLease.Client.IN_FLIGHT) {
          if (!l.stage.finished()) {
            unfinished++;
          }
          acknowledge(l, l.stage.finished() ? l.stage.acknowledgement() : AcknowledgeType.RELEASE, now);
        } else if (l.client == ShareLease.Client.RENEWING || l.client == ShareLease.Client.RENEWED) {
          if (!l.stage.finished()) {
            unfinished++;
          }
        }
      }
      try {
        consumer.commitSync(timeout);
      } catch (org.apache.kafka.common.errors.WakeupException e) {
        consumer.commitSync(timeout); // a wakeup left over from shutdown
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: final acknowledgements: {}", name, e.toString());
    }
    try {
      consumer.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("{}: closing the share consumer: {}", name, e.toString());
    }
    return unfinished;
  }
}
