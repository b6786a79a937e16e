package dev.pew.bench;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Everything one benchmark measured, in run order, with the options it ran with: the worker's
 * points and the comparison points with the peers. Immutable.
 */
public record BenchResults(BenchOptions options, ZonedDateTime started, ZonedDateTime finished,
    List<PointSummary> points, List<PeerSummary> comparisons) {

  public BenchResults {
    points = List.copyOf(points);
    comparisons = List.copyOf(comparisons);
  }

  /** A run without comparison points. */
  public BenchResults(BenchOptions options, ZonedDateTime started, ZonedDateTime finished, List<PointSummary> points) {
    this(options, started, finished, points, List.of());
  }

  public List<PointSummary> ceilings() {
    return points.stream().filter(p -> !p.point().isWorker()).toList();
  }

  public List<PointSummary> workers() {
    return points.stream().filter(p -> p.point().isWorker()).toList();
  }

  /** The median raw Kafka throughput for {@code partitions}; NaN when that ceiling was not measured. */
  public double ceiling(int partitions) {
    return ceilings().stream().filter(p -> p.point().partitions() == partitions).findFirst()
        .map(p -> p.throughput().median()).orElse(Double.NaN);
  }

  public Optional<PointSummary> find(BenchPoint point) {
    return points.stream().filter(p -> p.point().equals(point)).findFirst();
  }
}
