package dev.pew.intake.share;

import dev.pew.intake.AccessRefusals;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link ShareLane}'s thread does, start to end: subscribes, steps the consumer and hands
 * what it acquired to the pipeline while {@link ShareIntake} wants more, and at shutdown lets the
 * lane's calls in flight finish (renewing their locks, acknowledging what completes) until the
 * grace period ends, then closes the consumer and adds what it did to the {@link ShutdownTally}.
 *
 * <p>Guarantee: every record the lane lost (its lock gone) is followed by {@link
 * IntakeSink#releaseInactive()}, so the pipeline lets go of items whose lease ended; an access
 * refusal (authentication, authorization) is logged and retried, not fatal. Threading: {@link #run}
 * on the lane's own thread only; the suppliers it is given are read from that thread and must be
 * thread-safe.
 */
final class LaneLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(LaneLoop.class);

  private final ShareLane lane;
  private final String topic;
  private final Duration keepAlive;
  private final Clock clock;
  private final IntakeSink sink;
  private final BooleanSupplier wantMore;
  private final BooleanSupplier stopRequested;
  private final LongSupplier shutdownDeadlineNanos;
  private final AccessRefusals refusals;
  private final ShutdownTally tally;

  LaneLoop(ShareLane lane, String topic, Duration keepAlive, Clock clock, IntakeSink sink, BooleanSupplier wantMore,
      BooleanSupplier stopRequested, LongSupplier shutdownDeadlineNanos, AccessRefusals refusals, ShutdownTally tally) {
    this.lane = lane;
    this.topic = topic;
    this.keepAlive = keepAlive;
    this.clock = clock;
    this.sink = sink;
    this.wantMore = wantMore;
    this.stopRequested = stopRequested;
    this.shutdownDeadlineNanos = shutdownDeadlineNanos;
    this.refusals = refusals;
    this.tally = tally;
  }

  @Override
  public void run() {
    try {
      lane.subscribe(topic);
      while (!stopRequested.getAsBoolean()) {
        try {
          boolean keepAlivePoll = clock.millis() - lane.lastPollAt() > keepAlive.toMillis();
          if (!handOver(lane.step(wantMore.getAsBoolean(), keepAlivePoll)) && !lane.hasNotices()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          }
          refusals.accepted();
        } catch (AuthenticationException | AuthorizationException e) {
          refusals.refused(e, stopRequested);
        }
      }
      drain();
    } catch (Throwable t) {
      LOG.error("{}: stopped unexpectedly", lane.name(), t);
      lane.close(Duration.ofSeconds(5));
    }
  }

  /** Shutdown: queued records let go, calls in flight finished and acknowledged within the grace period. */
  private void drain() {
    int dropped = lane.beginShutdown();
    sink.releaseInactive();
    tally.stopped(dropped, lane.inPipeline());
    while (lane.busy() && System.nanoTime() < shutdownDeadlineNanos.getAsLong()) {
      lane.step(false, false); // acknowledges what finished, keeps renewing what is still called
      if (!lane.hasNotices()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    lane.step(false, false);
    int left = lane.inPipeline();
    tally.closed(left, lane.completedDuringShutdown(), lane.close(Duration.ofSeconds(5)));
  }

  private boolean handOver(List<WorkItem> batch) {
    int lost = lane.takeLost();
    if (!batch.isEmpty()) {
      sink.accept(batch);
    }
    if (lost > 0) {
      sink.releaseInactive();
    }
    return !batch.isEmpty();
  }
}
