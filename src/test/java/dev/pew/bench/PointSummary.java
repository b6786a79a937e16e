package dev.pew.bench;

import dev.pew.testing.Stats;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The repeated runs of one point, summarised: medians for the report, minimum and maximum for the
 * spread. Immutable.
 */
public record PointSummary(BenchPoint point, List<Measurement> runs) {

  public PointSummary {
    runs = List.copyOf(runs);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs for " + point.label());
    }
  }

  public Stats stats(ToDoubleFunction<Measurement> figure) {
    return Stats.of(runs.stream().mapToDouble(figure).toArray());
  }

  public double median(ToDoubleFunction<Measurement> figure) {
    return stats(figure).median();
  }

  /** The highest value of any run: the figure a memory limit has to allow for. */
  public double max(ToDoubleFunction<Measurement> figure) {
    return stats(figure).max();
  }

  public Stats throughput() {
    return stats(Measurement::throughput);
  }

  public int totalFailed() {
    return runs.stream().mapToInt(Measurement::failed).sum();
  }

  public int totalDuplicates() {
    return runs.stream().mapToInt(Measurement::duplicates).sum();
  }
}
