package dev.pew.sim;

/**
 * Allows {@code perSecond} calls per second on average with bursts up to {@code max(1, perSecond)}.
 * Not thread-safe: the owner guards it.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1_000_000_000.0;

  private final double perSecond;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, long nowNanos) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond must be > 0, got " + perSecond);
    }
    this.perSecond = perSecond;
    this.capacity = Math.max(1.0, perSecond);
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** Takes one token if there is one; a refused call takes nothing, so it does not push others out. */
  boolean tryAcquire(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed / NANOS_PER_SECOND * perSecond);
      lastNanos = nowNanos;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }
}
