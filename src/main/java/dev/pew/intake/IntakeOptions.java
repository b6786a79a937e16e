package dev.pew.intake;

import java.time.Duration;

/**
 * Settings of an {@link Intake}. Immutable.
 *
 * @param topic the input topic
 * @param maxBuffered most records handed to the pipeline and not finished; intake pauses above it
 * @param revokeTimeout how long a revoked partition waits for its calls in flight before it is
 *     committed and let go (must stay well below {@code max.poll.interval.ms})
 * @param pollTimeout longest a poll waits for records; bounds how late a commit can be
 */
public record IntakeOptions(String topic, int maxBuffered, Duration revokeTimeout, Duration pollTimeout) {

  public IntakeOptions {
    if (maxBuffered < 1) {
      throw new IllegalArgumentException("maxBuffered must be positive");
    }
  }
}
