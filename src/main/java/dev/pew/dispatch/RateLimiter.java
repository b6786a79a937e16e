package dev.pew.dispatch;

import java.time.Clock;

/**
 * A limit on how many calls may start per unit of time. It never blocks: a caller that gets no
 * permit is told how long to wait, so it can schedule a timer on its event loop instead.
 *
 * <p>Threading is up to the implementation: {@link #unlimited()} is thread-safe, {@link
 * TokenBucketRateLimiter} must be confined to one thread.
 */
public interface RateLimiter {

  /**
   * Takes a permit when one is available now and returns 0; otherwise takes nothing and returns
   * the milliseconds (>= 1) until one will be.
   */
  long tryAcquire();

  /**
   * Whether a wait it reports is a rate limit at work, counted in {@code pew_rate_limit_waits_total};
   * a gate that has not opened yet (a member catching up with its fleet) is not one.
   */
  default boolean limiting() {
    return true;
  }

  /**
   * Whether it paces calls at all ({@link #unlimited()} does not). Under a pace a fresh process's
   * first call goes alone until its connection is up ({@link Api#connected()}).
   */
  default boolean paces() {
    return true;
  }

  /** A limiter that always grants at once. Thread-safe. */
  static RateLimiter unlimited() {
    return Unlimited.INSTANCE;
  }

  /**
   * A {@link TokenBucketRateLimiter} of {@code permitsPerSecond} with room for {@code burst}
   * permits at once, or {@link #unlimited()} when {@code permitsPerSecond} is 0 (the contract's
   * {@code RATE_LIMIT_PER_SECOND=0} means "no limit").
   *
   * @throws IllegalArgumentException for a negative, NaN or infinite rate, or, when the rate is
   *     not 0, for any argument {@link TokenBucketRateLimiter} rejects
   */
  static RateLimiter perSecond(double permitsPerSecond, int burst, Clock clock) {
    if (permitsPerSecond == 0) {
      return unlimited();
    }
    return new TokenBucketRateLimiter(permitsPerSecond, burst, clock);
  }

  /** Stateless, hence thread-safe. */
  enum Unlimited implements RateLimiter {
    INSTANCE;

    @Override
    public long tryAcquire() {
      return 0;
    }

    @Override
    public boolean paces() {
      return false;
    }

    @Override
    public String toString() {
      return "RateLimiter.unlimited()";
    }
  }
}
