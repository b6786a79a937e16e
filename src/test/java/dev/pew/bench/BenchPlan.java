package dev.pew.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's matrices. Raw Kafka ceilings come first, so the worker's backlogs can be sized
 * from them and each worker point reported against its ceiling.
 *
 * <ul>
 *   <li>{@code default}: the ceilings for 6 and 1 partitions; latency 0, 20 and 100 ms against
 *       {@code MAX_IN_FLIGHT} 16, 64 and 256 on 6 partitions with one instance; then 20 ms / 64 on
 *       one partition, and 0 and 20 ms / 64 with two instances;
 *   <li>{@code full}: every combination of latency, concurrency, partitions (1, 6) and instances (1, 2);
 *   <li>{@code quick}: a smoke run, one ceiling and one worker point;
 *   <li>{@code peers}: no worker points of its own, the comparison points with the peers
 *       ({@link #peerMatrix}): 0 ms / 64, 20 ms / 64 and 20 ms / 256 on 6 partitions, one instance,
 *       cold and warm, and a fresh worker at 20 ms / 64 over 30,000 events against Little's bound;
 *   <li>{@code peers-quick}: a smoke run of the comparison, one cold and one warm point.
 * </ul>
 */
final class BenchPlan {

  static final int[] LATENCIES_MS = {0, 20, 100};
  static final int[] MAX_IN_FLIGHT = {16, 64, 256};

  private BenchPlan() {}

  static List<BenchPoint> matrix(String name) {
    List<BenchPoint> points = new ArrayList<>();
    switch (name) {
      case "default" -> {
        points.add(BenchPoint.rawKafka(6));
        points.add(BenchPoint.rawKafka(1));
        sweep(points, 6, 1);
        points.add(BenchPoint.worker(20, 64, 1, 1));
        points.add(BenchPoint.worker(0, 64, 6, 2));
        points.add(BenchPoint.worker(20, 64, 6, 2));
      }
      case "full" -> {
        points.add(BenchPoint.rawKafka(6));
        points.add(BenchPoint.rawKafka(1));
        for (int partitions : new int[] {6, 1}) {
          for (int instances : new int[] {1, 2}) {
            sweep(points, partitions, instances);
          }
        }
      }
      case "quick" -> {
        points.add(BenchPoint.rawKafka(6));
        points.add(BenchPoint.worker(20, 64, 6, 1));
      }
      case "peers", "peers-quick" -> {
        // comparison points only, see peerMatrix
      }
      default -> throw new IllegalArgumentException("unknown matrix '" + name
          + "': default, full, quick, peers or peers-quick");
    }
    return points;
  }

  /** The comparison points of a matrix (none for the worker-only ones). Cold first: warm backlogs are sized from them. */
  static List<PeerPoint> peerMatrix(String name) {
    List<PeerPoint> points = new ArrayList<>();
    switch (name) {
      case "peers" -> {
        BenchPoint[] at = {BenchPoint.worker(0, 64, 6, 1), BenchPoint.worker(20, 64, 6, 1),
            BenchPoint.worker(20, 256, 6, 1)};
        for (BenchPoint p : at) {
          points.add(PeerPoint.cold(p));
        }
        points.add(PeerPoint.cold(BenchPoint.worker(20, 64, 6, 1), 30_000));
        for (BenchPoint p : at) {
          points.add(PeerPoint.warm(p));
        }
      }
      case "peers-quick" -> {
        points.add(PeerPoint.cold(BenchPoint.worker(20, 64, 6, 1), 3_000));
        points.add(PeerPoint.warm(BenchPoint.worker(20, 64, 6, 1)));
      }
      default -> {
        // the worker-only matrices compare with nothing
      }
    }
    return points;
  }

  private static void sweep(List<BenchPoint> points, int partitions, int instances) {
    for (int latency : LATENCIES_MS) {
      for (int maxInFlight : MAX_IN_FLIGHT) {
        points.add(BenchPoint.worker(latency, maxInFlight, partitions, instances));
      }
    }
  }
}
