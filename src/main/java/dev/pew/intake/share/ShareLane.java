package dev.pew.intake.share;

import dev.pew.event.EventParser;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer of the intake and the records it holds: acquires a batch, hands its records to
 * the pipeline, renews their acquisition locks while they are worked on, and acknowledges each one
 * once the pipeline is done with it (ACCEPT after its result is acknowledged, RELEASE when it was let
 * go).
 *
 * <p>How the consumer is driven (one batch at a time, renewals together, one waiting poll) is in
 * the package's documentation.
 *
 * <p><b>Lock expiry, proven, then estimated conservatively.</b> A record's lock runs from when the
 * broker acquired it, which the client does not report, and a record can wait in the consumer's
 * buffer past its lock (while the broker gives it to another member) although a poll found the
 * buffer empty. So no record is handed over before a renewal the broker accepted proves this lane
 * holds it; from then on the lock runs no earlier than from when that renewal was sent. Before the
 * proof a batch is taken to be acquired no earlier than the previous poll that found nothing (or,
 * for the first poll after a batch, when that batch arrived), less a slack: that estimate only
 * schedules the renewal. With renewals off (the broker refuses them) the estimate is all there is. A
 * record's lease ends a quarter lock before the estimate.
 *
 * <p>Confined to the lane's own thread, like its consumer (the acknowledgement callback runs inside
 * the consumer's calls on that thread), except {@link #deliver}, {@link #hasNotices} and {@link
 * #wakeup}, which any thread may call.
 */
final class ShareLane {

  private static final Logger LOG = LoggerFactory.getLogger(ShareLane.class);

  private final String name;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final Duration askTimeout;
  private final LaneInbox inbox = new LaneInbox();
  private final Clock clock;
  private final Supplier<ShareSettings> settings;
  private final LaneRecords records = new LaneRecords();
  private final AckAnswers answers;
  private final LaneAcknowledger acks;
  private final LaneHandOver handOver;
  /** Records acquired no earlier than this (epoch millis, before the slack). */
  private long acquiredFloor;
  private long lastPollAt;
  /** Any poll, for max.poll.interval.ms. */
  private long lastAnyPollAt;
  private boolean askedSinceBatch;
  private boolean shuttingDown;

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
    this.answers = new AckAnswers(name, records, metrics, clock);
    this.acks = new LaneAcknowledger(name, consumer, records, metrics);
    this.handOver = new LaneHandOver(this, records, gate, parser, metrics, clock, itemDone);
  }

  String name() {
    return name;
  }

  /** The thread that runs this lane (to wake it). */
  void runOn(Thread t) {
    inbox.wakes(t);
  }

  /** From the intake's main thread: the pipeline completed (or let go) this lane's record. */
  void deliver(ShareLease lease, boolean completed) {
    inbox.deliver(lease, completed);
  }

  /** Notices waiting; the lane's thread parks only when there are none. */
  boolean hasNotices() {
    return !inbox.isEmpty();
  }

  /** Interrupts a poll that waits for records (shutdown). Any thread. */
  void wakeup() {
    consumer.wakeup();
  }

  /** Records the pipeline completed after shutdown began (calls in flight that finished). */
  int completedDuringShutdown() {
    return inbox.completedDuringShutdown();
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
    return records.size();
  }

  /** Records of this lane in the pipeline now. */
  int inPipeline() {
    return records.inPipeline();
  }

  /** Whether the lane still has work before it may close (see {@link LaneRecords#busy()}). */
  boolean busy() {
    return records.busy();
  }

  /** Leases this lane ended since the last call (locks lost): the pipeline should release their queued items. */
  int takeLost() {
    return records.takeLost();
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
    inbox.apply(shuttingDown);
    consumer.commitAsync(); // runs the acknowledgement callbacks of answers that arrived
    long now = clock.millis();
    ShareSettings s = settings.get();
    boolean send = acks.acknowledgeFinished(now, s);
    if (acks.renewDue(now, s)) {
      acks.renewAll(now);
      send = true;
    }
    if (send) {
      consumer.commitAsync();
    }
    records.removeSettled();
    if (records.count(ShareLease.Client.IN_FLIGHT) == 0 && records.count(ShareLease.Client.RENEWING) == 0) {
      if (records.count(ShareLease.Client.RENEWED) > 0) {
        lastAnyPollAt = now;
        try {
          ConsumerRecords<byte[], byte[]> back = consumer.poll(Duration.ZERO); // renewed records back; fetches nothing
          LOG.debug("{}: {} renewed records back of {}", name, back.count(), records.count(ShareLease.Client.RENEWED));
          handOver.absorb(back, now, acquiredFloor, s.withLockMs(consumer.acquisitionLockTimeoutMs().orElse((int) s.lockMs())));
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          // shutdown woke a poll that was not waiting: they come back at the next turn
        }
      } else if (!shuttingDown && (wantMore || keepAlive) && records.consumerHoldsNone()) {
        ask(now, s);
      }
    }
    return shuttingDown ? List.of() : handOver.ready(clock.millis(), s);
  }

  private void ask(long now, ShareSettings s) {
    long floor = askedSinceBatch ? lastPollAt : acquiredFloor;
    lastPollAt = now;
    lastAnyPollAt = now;
    askedSinceBatch = true;
    ConsumerRecords<byte[], byte[]> polled;
    try {
      polled = consumer.poll(askTimeout);
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      return; // shutdown
    }
    if (!polled.isEmpty()) {
      handOver.absorb(polled, now, floor, s.withLockMs(consumer.acquisitionLockTimeoutMs().orElse((int) s.lockMs())));
      acquiredFloor = clock.millis();
      askedSinceBatch = false;
    }
  }

  /** The broker's answer to acknowledgements (runs inside the consumer's calls, on the lane's thread). */
  private void acknowledged(Map<TopicIdPartition, Set<Long>> offsets, Exception error) {
    answers.apply(offsets, error);
  }

  /** Shutdown begins: every lease ends; records not handed over are let go; no new records are acquired. */
  int beginShutdown() {
    shuttingDown = true;
    int dropped = 0;
    for (ShareLease l : records.all()) {
      l.end();
      if (l.stage == ShareLease.Stage.WAITING) {
        l.stage = ShareLease.Stage.DROPPED;
        dropped++;
      }
    }
    records.forgetTickets();
    return dropped;
  }

  /**
   * Shutdown ends: acknowledges what finished, releases what is still in the pipeline after the grace
   * period, waits up to {@code timeout} for the broker's answer, and closes the consumer (which
   * releases records still being renewed). Returns how many records were released unfinished.
   */
  int close(Duration timeout) {
    inbox.apply(shuttingDown);
    long now = clock.millis();
    int unfinished = 0;
    try {
      consumer.commitAsync();
      unfinished = acks.acknowledgeAtClose(now);
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
