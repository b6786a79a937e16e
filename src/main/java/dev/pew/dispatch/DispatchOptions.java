package dev.pew.dispatch;

/**
 * Limits and retry bounds of the {@link Dispatcher}. Immutable.
 *
 * @param maxInFlight most calls outstanding at once ({@code MAX_IN_FLIGHT})
 * @param maxAttempts calls per event, first included ({@code MAX_ATTEMPTS})
 * @param backoffInitialMs lower bound of a retry's backoff; also the pause after a 429 without
 *     {@code Retry-After}
 * @param callDeadlineMs when a call whose {@link Api} future has not completed counts as timed out
 *     (the API's own deadline plus a margin: a backstop, the API client normally answers first)
 */
public record DispatchOptions(int maxInFlight, int maxAttempts, long backoffInitialMs, long callDeadlineMs) {

  public DispatchOptions {
    if (maxInFlight < 1 || maxAttempts < 1 || backoffInitialMs < 1 || callDeadlineMs < 1) {
      throw new IllegalArgumentException("maxInFlight, maxAttempts, backoffInitialMs and callDeadlineMs must be positive");
    }
  }
}
