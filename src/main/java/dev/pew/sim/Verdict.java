package dev.pew.sim;

/**
 * How the simulator answers one call, decided when the call arrives. Immutable.
 *
 * @param status HTTP status, or {@link #HANG} for "never answer"
 * @param retryAfter value of the {@code Retry-After} header, null for none
 * @param message error message for a non-2xx body, null for the default of the status
 * @param delayNanos how long to wait before answering
 */
record Verdict(int status, String retryAfter, String message, long delayNanos) {

  static final int HANG = -1;

  boolean hang() {
    return status == HANG;
  }
}
