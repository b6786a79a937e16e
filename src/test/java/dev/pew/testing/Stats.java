package dev.pew.testing;

import java.util.Arrays;

/**
 * Order statistics of a sample: nearest-rank percentiles (every percentile is a value that was
 * observed) and the median with its spread over repeated runs. The local run's latency summary and
 * the benchmark both use it. Immutable and thread-safe.
 */
public final class Stats {

  private final double[] sorted;

  private Stats(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public static Stats of(double... values) {
    return new Stats(values);
  }

  public static Stats of(long[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return new Stats(d);
  }

  public boolean isEmpty() {
    return sorted.length == 0;
  }

  public int count() {
    return sorted.length;
  }

  /** The {@code p}-th percentile, 0 &lt; p &lt;= 100, by nearest rank; NaN when there are no values. */
  public double percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be within (0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  /** The middle value (the mean of the two middle ones for an even count); NaN when empty. */
  public double median() {
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The arithmetic mean; NaN when empty. */
  public double mean() {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return sum / sorted.length;
  }

  public double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  /** (max - min) / median: how far apart the repeats were, as a fraction of the median. */
  public double relativeSpread() {
    double m = median();
    return sorted.length < 2 || m == 0 ? 0 : (max() - min()) / m;
  }
}
