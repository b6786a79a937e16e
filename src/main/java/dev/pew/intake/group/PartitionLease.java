package dev.pew.intake.group;


import dev.pew.intake.Lease;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * This instance's ownership of one assigned partition, from assignment until revocation, loss or
 * shutdown, plus the count of its items that are handed to the pipeline and not finished or
 * released yet. The intake thread waits on that count when the partition is revoked, so that it can
 * commit everything that finished before the partition moves.
 *
 * <p>Thread-safe: ended by the intake thread, read by the event loop.
 */
public final class PartitionLease implements Lease {

  private final TopicPartition partition;
  private final AtomicInteger unfinished = new AtomicInteger();
  private volatile boolean active = true;
  private final Object monitor = new Object();

  public PartitionLease(TopicPartition partition) {
    this.partition = partition;
  }

  public TopicPartition partition() {
    return partition;
  }

  @Override
  public boolean active() {
    return active;
  }

  /** No new call may start for this partition's items from now on. */
  public void end() {
    active = false;
  }

  /** An item was handed to the pipeline. */
  void itemHandedOver() {
    unfinished.incrementAndGet();
  }

  @Override
  public void itemDone() {
    if (unfinished.decrementAndGet() == 0) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  public int unfinished() {
    return unfinished.get();
  }

  /** Blocks up to {@code millis} for the unfinished count to reach 0; returns whether it did. */
  boolean awaitDrained(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    synchronized (monitor) {
      while (unfinished.get() > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return false;
        }
        monitor.wait(Math.min(left, 50));
      }
    }
    return true;
  }
}
