package dev.pew.intake.share;

import dev.pew.intake.Lease;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One record a share-group lane acquired, from its delivery until the broker has its
 * acknowledgement: the {@link Lease} of its work item, and the lane's bookkeeping for it.
 *
 * <p>As a lease it is active while this member holds the record's acquisition lock with time to
 * spare ({@link #usableUntil}: the lock's expiry as the lane conservatively estimates it, less a
 * guard), and until the lane ends it (lock lost, renewal refused, shutdown). {@link #itemDone}
 * tells the lane, through the intake, that the pipeline is finished with the item.
 *
 * <p>Threading: {@link #active} and {@link #itemDone} are called from the event loop; every other
 * field and method belongs to its lane's thread.
 */
public final class ShareLease implements Lease {

  /** Where the pipeline stands with the record. */
  enum Stage {
    /** Acquired, not handed over yet: its partition's ledger is not ready, or its lock is to be confirmed first. */
    WAITING,
    /** In the pipeline. */
    HANDED,
    /** Its result is acknowledged by Kafka: ACCEPT. */
    COMPLETED,
    /** The pipeline let it go without a result (lease ended): RELEASE. */
    RELEASED,
    /** A tombstone: nothing to do, ACCEPT. */
    SKIPPED,
    /** Never handed over and not wanted any more (shutdown, lock lost): RELEASE. */
    DROPPED;

    boolean finished() {
      return this != WAITING && this != HANDED;
    }

    AcknowledgeType acknowledgement() {
      return this == COMPLETED || this == SKIPPED ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE;
    }
  }

  /** Where the record stands in the share consumer. */
  enum Client {
    /** Returned by the last poll and not acknowledged: it must be, before the consumer polls again. */
    IN_FLIGHT,
    /** RENEW sent, waiting for the broker's answer. */
    RENEWING,
    /** Renewed; the next poll returns it again. */
    RENEWED,
    /** ACCEPT or RELEASE sent, waiting for the broker's answer. */
    ACKING,
    /** The consumer no longer holds it (lock lost, renewal refused, acknowledgement answered): nothing more to send. */
    GONE
  }

  final ConsumerRecord<byte[], byte[]> record;
  final TopicPartition partition;
  /** The lane that acquired it (its notifications go there). */
  final ShareLane lane;
  final int deliveryCount;
  private final Clock clock;
  private final Consumer<ShareLease> done;

  Stage stage = Stage.WAITING;
  Client client = Client.IN_FLIGHT;
  /** Conservative expiry of the acquisition lock, epoch millis. */
  long lockDeadline;
  long renewSentAt;
  /**
   * Whether a renewal the broker accepted since the record was returned proves this lane holds its
   * lock (or renewals are off, and the estimate is all there is). Only then is it handed over.
   */
  boolean proven;
  long ackSentAt;
  /** When it was acquired (first seen), epoch millis. */
  final long arrivedAt;

  private volatile boolean ended;
  private volatile long usableUntil;

  /** {@code partition}: the record's, made once per partition of a poll. */
  ShareLease(ShareLane lane, ConsumerRecord<byte[], byte[]> record, TopicPartition partition, long lockDeadline, long guardMs,
      long arrivedAt, Clock clock, Consumer<ShareLease> done) {
    this.lane = lane;
    this.record = record;
    this.partition = partition;
    this.deliveryCount = record.deliveryCount().map(Short::intValue).orElse(1);
    this.arrivedAt = arrivedAt;
    this.clock = clock;
    this.done = done;
    lock(lockDeadline, guardMs);
  }

  @Override
  public boolean active() {
    return !ended && clock.millis() < usableUntil;
  }

  @Override
  public void itemDone() {
    done.accept(this);
  }

  long offset() {
    return record.offset();
  }

  /** The lock is held until {@code deadline} (conservatively); calls may start until {@code guardMs} before it. */
  void lock(long deadline, long guardMs) {
    lockDeadline = deadline;
    usableUntil = deadline - guardMs;
  }

  /** No new call may start for this record. */
  void end() {
    ended = true;
  }

  boolean ended() {
    return ended;
  }

  /** Whether the lane has nothing more to do with it: the pipeline is done (or never had it) and the consumer is too. */
  boolean settled() {
    return stage.finished() && client == Client.GONE;
  }

  @Override
  public String toString() {
    return partition + "@" + record.offset() + " (delivery " + deliveryCount + ", " + stage + ", " + client + ")";
  }
}
