package dev.pew.dispatch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;

/**
 * A token bucket: capacity {@code burst}, refilled continuously at {@code permitsPerSecond}, full
 * at construction. Guarantee: over any window of T seconds of the clock at most {@code
 * permitsPerSecond * T + burst} permits are granted, and the wait {@link #tryAcquire()} reports is
 * exact to the millisecond (after exactly that long a permit is there, one millisecond earlier it
 * is not).
 *
 * <p>Tokens are counted in whole nano-permits, not as a floating-point number, so that the wait is
 * exact and "rate permits per second" holds to the permit: a millisecond adds {@code
 * floor(permitsPerSecond * 10^6)} nano-permits, which is exact for any rate written with up to six
 * decimals and rounds slower rates down (never up, so the guarantee holds for every rate).
 *
 * <p>With {@code burst = 1} and a rate whose interval is not a whole number of milliseconds (3/s is
 * 333.3 ms), a caller that always waits as told gets slightly less than the rate (every 334 ms):
 * the full bucket cannot bank the spare fraction. A burst of 2 or more gives the exact rate.
 *
 * <p>A clock that steps backwards adds nothing and does not stall the bucket: refill simply resumes
 * from the earlier time.
 *
 * <p>Not thread-safe: confine to one thread (the worker's event loop).
 */
public final class TokenBucketRateLimiter implements RateLimiter {

  /** Smallest rate whose per-millisecond refill is still at least one nano-permit. */
  public static final double MIN_RATE = 1e-6;
  /** Far above anything a single HTTP client can start; keeps the arithmetic inside a long. */
  public static final double MAX_RATE = 1e9;

  private static final long NANO_PERMITS_PER_PERMIT = 1_000_000_000L;

  private final double permitsPerSecond;
  private final int burst;
  private final Clock clock;
  private final long refillPerMilli;
  private final long capacity;
  private long tokens;
  private long lastRefillMillis;

  /**
   * @param permitsPerSecond refill rate, in {@code [MIN_RATE, MAX_RATE]}
   * @param burst bucket capacity: how many permits can be granted at once; at least 1
   * @param clock the only source of time
   * @throws IllegalArgumentException on a rate or burst outside those ranges, or a null clock
   */
  public TokenBucketRateLimiter(double permitsPerSecond, int burst, Clock clock) {
    if (!(permitsPerSecond >= MIN_RATE && permitsPerSecond <= MAX_RATE)) { // also rejects NaN
      throw new IllegalArgumentException(
          "permitsPerSecond must be in [" + MIN_RATE + ", " + MAX_RATE + "], was "
              + permitsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, was " + burst);
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    this.permitsPerSecond = permitsPerSecond;
    this.burst = burst;
    this.clock = clock;
    // Via the decimal text of the rate, so 0.3 means 0.3 and not 0.29999999999999998889.
    this.refillPerMilli =
        BigDecimal.valueOf(permitsPerSecond)
            .movePointRight(6)
            .setScale(0, RoundingMode.FLOOR)
            .longValueExact();
    this.capacity = burst * NANO_PERMITS_PER_PERMIT; // <= 2^31 * 10^9, fits a long
    this.tokens = capacity;
    this.lastRefillMillis = clock.millis();
  }

  /**
   * The same bucket at another rate and burst, keeping its tokens (at most the new burst) so that a
   * change of rate never grants a fresh burst. For a fleet's changing shares.
   */
  public TokenBucketRateLimiter withRate(double newPermitsPerSecond, int newBurst) {
    refill();
    TokenBucketRateLimiter next = new TokenBucketRateLimiter(newPermitsPerSecond, newBurst, clock);
    next.tokens = Math.min(tokens, next.capacity);
    next.lastRefillMillis = lastRefillMillis;
    return next;
  }

  @Override
  public long tryAcquire() {
    refill();
    if (tokens >= NANO_PERMITS_PER_PERMIT) {
      tokens -= NANO_PERMITS_PER_PERMIT;
      return 0;
    }
    long missing = NANO_PERMITS_PER_PERMIT - tokens;
    return ceilDiv(missing, refillPerMilli); // >= 1 because missing > 0
  }

  /** Whole permits available now (refills first); for metrics and tests. */
  public long availablePermits() {
    refill();
    return tokens / NANO_PERMITS_PER_PERMIT;
  }

  public double permitsPerSecond() {
    return permitsPerSecond;
  }

  public int burst() {
    return burst;
  }

  private void refill() {
    long now = clock.millis();
    long elapsed = now - lastRefillMillis;
    lastRefillMillis = now;
    if (elapsed <= 0) {
      return; // a backwards step gives no credit; refill resumes from the new time
    }
    long room = capacity - tokens;
    // Compare in milliseconds first so that a long pause cannot overflow elapsed * refillPerMilli.
    if (elapsed >= ceilDiv(room, refillPerMilli)) {
      tokens = capacity;
    } else {
      tokens += elapsed * refillPerMilli;
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  @Override
  public String toString() {
    return "TokenBucketRateLimiter[permitsPerSecond=" + permitsPerSecond + ", burst=" + burst + "]";
  }
}
