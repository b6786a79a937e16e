package dev.pew.intake;

import java.time.Duration;

/**
 * Settings of an {@link Intake}. Immutable.
 *
 * @param topic the input topic
 * @param maxBuffered most records handed to the pipeline and not finished; intake pauses above it
 * @param revokeTimeout how long a revoked partition waits for its calls in flight before it is
 *     committed and let go (must stay well below {@code max.poll.interval.ms})
 * @param pollTimeout longest a poll waits for records while records are unfinished or offsets
 *     uncommitted; bounds how late a commit can be
 * @param idlePollTimeout longest a poll waits once the group is joined and nothing is unfinished,
 *     uncommitted, paused or restoring: a record that arrives still ends the poll at once; it bounds how
 *     late a stop is noticed
 */
public record IntakeOptions(String topic, int maxBuffered, Duration revokeTimeout, Duration pollTimeout,
    Duration idlePollTimeout) {

  public IntakeOptions {
    if (maxBuffered < 1) {
      throw new IllegalArgumentException("maxBuffered must be positive");
    }
    if (idlePollTimeout.compareTo(pollTimeout) < 0) {
      throw new IllegalArgumentException("idlePollTimeout must be at least pollTimeout");
    }
  }

  /** An idle poll as long as a busy one. */
  public IntakeOptions(String topic, int maxBuffered, Duration revokeTimeout, Duration pollTimeout) {
    this(topic, maxBuffered, revokeTimeout, pollTimeout, pollTimeout);
  }
}
