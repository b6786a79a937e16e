package dev.pew.dispatch;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter over the whole window: the delay before retry {@code n} is
 * uniform in {@code [initialMs, cap(n)]}, both ends included, where {@code cap(n) = min(maxMs,
 * initialMs * 2^n)}. The first retry therefore lands in {@code [initial, 2*initial]}, and from the
 * retry where the doubling passes {@code maxMs} on, every window is {@code [initial, max]}.
 *
 * <p>Jitter over the whole window (rather than "base plus a little") is what spreads the retries of
 * many events that failed together, so they do not hit a recovering server in waves; the floor of
 * {@code initialMs} keeps even an unlucky draw from retrying immediately.
 *
 * <p>Overflow-safe for every {@code retry >= 1}. Immutable; thread-safe when its random generator
 * is (the one {@link #of} uses is).
 */
public final class ExponentialJitterBackoff implements Backoff {

  private final long initialMs;
  private final long maxMs;
  private final RandomGenerator random;

  /**
   * @param initialMs lower bound of every window and the base of the doubling; at least 1
   * @param maxMs upper bound of every window; at least {@code initialMs}
   * @param random source of the jitter; pass a seeded one in tests
   * @throws IllegalArgumentException on bounds outside those ranges
   */
  public ExponentialJitterBackoff(long initialMs, long maxMs, RandomGenerator random) {
    if (initialMs < 1) {
      throw new IllegalArgumentException("initialMs must be >= 1, was " + initialMs);
    }
    if (maxMs < initialMs) {
      throw new IllegalArgumentException(
          "maxMs must be >= initialMs (" + initialMs + "), was " + maxMs);
    }
    if (random == null) {
      throw new IllegalArgumentException("random must not be null");
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
  }

  /** A thread-safe backoff drawing from each calling thread's own {@link ThreadLocalRandom}. */
  public static ExponentialJitterBackoff of(long initialMs, long maxMs) {
    return new ExponentialJitterBackoff(initialMs, maxMs, ThreadLocalRandomGenerator.INSTANCE);
  }

  @Override
  public long delayMillis(int retry) {
    long cap = cap(retry);
    // cap - initialMs + 1 cannot overflow: initialMs >= 1 and cap <= Long.MAX_VALUE.
    return initialMs + random.nextLong(cap - initialMs + 1);
  }

  /**
   * The upper bound of the window for {@code retry}: {@code min(maxMs, initialMs * 2^retry)}.
   *
   * @throws IllegalArgumentException when {@code retry < 1}
   */
  public long cap(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1, was " + retry);
    }
    // Compare before shifting: initialMs << retry would overflow long for large retry numbers.
    if (retry >= Long.SIZE - 1 || initialMs > (maxMs >> retry)) {
      return maxMs;
    }
    return Math.min(maxMs, initialMs << retry);
  }

  public long initialMs() {
    return initialMs;
  }

  public long maxMs() {
    return maxMs;
  }

  @Override
  public String toString() {
    return "ExponentialJitterBackoff[initialMs=" + initialMs + ", maxMs=" + maxMs + "]";
  }

  /**
   * Looks up the current thread's generator on every call: a {@code ThreadLocalRandom.current()}
   * kept in a field and used from other threads would share one seed sequence between them.
   */
  private enum ThreadLocalRandomGenerator implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public long nextLong(long bound) {
      return ThreadLocalRandom.current().nextLong(bound);
    }
  }
}
