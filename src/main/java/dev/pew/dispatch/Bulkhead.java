package dev.pew.dispatch;

/**
 * A permit contract for calls outstanding: at most {@link #max()} permits are held at once. A caller
 * takes a permit before starting a call and releases it exactly once when the call has ended,
 * whatever the outcome; {@link #release()} without a held permit is a bug and fails loudly rather
 * than silently raising the limit.
 *
 * <p>Not thread-safe: confine to one thread (the worker's event loop).
 */
public final class Bulkhead {

  private final int max;
  private int inUse;
  private int peak;

  /**
   * @param max most permits held at once; at least 1
   * @throws IllegalArgumentException when {@code max < 1}
   */
  public Bulkhead(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
  }

  /** Takes a permit and returns true, or returns false and takes nothing when all are held. */
  public boolean tryAcquire() {
    if (inUse >= max) {
      return false;
    }
    inUse++;
    if (inUse > peak) {
      peak = inUse;
    }
    return true;
  }

  /**
   * Gives back one permit.
   *
   * @throws IllegalStateException when no permit is held
   */
  public void release() {
    if (inUse == 0) {
      throw new IllegalStateException("release() without a held permit (max=" + max + ")");
    }
    inUse--;
  }

  public int inUse() {
    return inUse;
  }

  public int available() {
    return max - inUse;
  }

  public int max() {
    return max;
  }

  /** The highest {@link #inUse()} ever seen. */
  public int peak() {
    return peak;
  }

  @Override
  public String toString() {
    return "Bulkhead[inUse=" + inUse + ", max=" + max + ", peak=" + peak + "]";
  }
}
