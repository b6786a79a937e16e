package dev.pew.intake.group;

import java.time.Duration;

/**
 * How long the group intake's next poll may wait. A poll ends at once when records arrive, so the
 * timeout matters only while none can: it bounds how late the loop notices what changed outside the
 * poll (a partition's restore done, room in the pipeline, a commit due, a stop).
 *
 * <ul>
 *   <li>{@link #WAITING} (10 ms) while intake is paused, or while owned partitions wait for the
 *       ledger's restore: nothing can be read, and the records should come as soon as the pause or
 *       the restore ends, which the poll itself does not see.</li>
 *   <li>{@code idle} (the broker's long poll, 500 ms) only when the intake has joined the group and
 *       has nothing unfinished or uncommitted: an idle worker does not spin.</li>
 *   <li>{@code busy} (50 ms) otherwise, which includes the polls before the first assignment. A poll
 *       in which the group is joined runs the assignment callback, which pauses the new partitions
 *       until their restore. An idle-length first poll kept a starting worker's records waiting
 *       for the rest of its 500 ms after the restore had ended (docs/benchmarks.md, "Start-up: Netty's
 *       flight-recorder events and the first poll").</li>
 * </ul>
 *
 * <p>Immutable; called on the intake thread.
 */
final class PollTimeouts {

  /** While paused or restoring. */
  static final Duration WAITING = Duration.ofMillis(10);

  private final Duration busy;
  private final Duration idle;

  PollTimeouts(Duration busy, Duration idle) {
    this.busy = busy;
    this.idle = idle;
  }

  /**
   * @param paused intake is paused (pipeline full, refusing intake, stopping)
   * @param restoringPartitions owned partitions whose records wait for the ledger's restore
   * @param joined the intake has had its first assignment (possibly empty)
   * @param settled nothing is unfinished and nothing uncommitted
   */
  Duration next(boolean paused, int restoringPartitions, boolean joined, boolean settled) {
    if (paused || restoringPartitions > 0) {
      return WAITING;
    }
    return joined && settled ? idle : busy;
  }
}
