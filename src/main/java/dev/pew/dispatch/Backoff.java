package dev.pew.dispatch;

/**
 * How long to wait before a retry, as a function of the retry number alone (as in resilience4j's
 * {@code IntervalFunction}), so a policy can be tested without a clock and shared by all events.
 *
 * <p>Implementations say whether they are thread-safe; {@link ExponentialJitterBackoff#of} is.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * Delay before retry number {@code retry} (1 = the first retry, i.e. the 2nd attempt).
   *
   * @return milliseconds, never negative
   */
  long delayMillis(int retry);
}
