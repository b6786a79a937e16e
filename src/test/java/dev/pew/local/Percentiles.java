package dev.pew.local;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of values (the value at rank {@code ceil(p/100 * n)} when
 * sorted): every percentile is a value that was observed. Immutable and thread-safe.
 */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  boolean isEmpty() {
    return sorted.length == 0;
  }

  /** The {@code p}-th percentile, 0 &lt; p &lt;= 100; 0 when there are no values. */
  long at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be within (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }
}
