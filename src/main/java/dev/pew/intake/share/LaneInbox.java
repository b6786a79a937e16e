package dev.pew.intake.share;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What the pipeline did with a lane's records, on its way from the intake's main thread to the
 * lane's: completed (the result is acknowledged: ACCEPT) or let go (RELEASE). A notice about a
 * record no longer in the pipeline (completed in an earlier round) is ignored. {@link #deliver}
 * from any thread wakes the lane; {@link #apply} runs on the lane's thread.
 */
final class LaneInbox {

  private record Notice(ShareLease lease, boolean completed) {}

  private final ConcurrentLinkedQueue<Notice> queue = new ConcurrentLinkedQueue<>();
  private volatile Thread lane;
  private int completedDuringShutdown;

  /** The thread to wake when a notice arrives. */
  void wakes(Thread t) {
    lane = t;
  }

  void deliver(ShareLease lease, boolean completed) {
    queue.add(new Notice(lease, completed));
    Thread t = lane;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Marks each noticed record COMPLETED or RELEASED; {@code shuttingDown}: completions are counted. */
  void apply(boolean shuttingDown) {
    Notice n;
    while ((n = queue.poll()) != null) {
      ShareLease l = n.lease();
      if (l.stage == ShareLease.Stage.HANDED) {
        l.stage = n.completed() ? ShareLease.Stage.COMPLETED : ShareLease.Stage.RELEASED;
        if (n.completed() && shuttingDown) {
          completedDuringShutdown++;
        }
      }
    }
  }

  /** Records completed after shutdown began (calls in flight that finished). */
  int completedDuringShutdown() {
    return completedDuringShutdown;
  }
}
