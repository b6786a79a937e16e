package dev.pew.bench;

import java.util.Locale;

/**
 * A point of the side-by-side comparison with the peers (docs/benchmarks.md, "Peers"): a worker
 * point run by the worker and by each peer, in one of two modes. Immutable.
 *
 * @param mode cold (a fresh JVM on a fixed backlog, no warm-up) or warm (the benchmark's usual runs)
 * @param point latency, {@code MAX_IN_FLIGHT}, partitions and instances, as for the worker
 * @param events the cold backlog (0 in warm mode, whose backlogs are sized by {@code --seconds})
 */
public record PeerPoint(Mode mode, BenchPoint point, int events) {

  /** How a comparison point is run. */
  public enum Mode {
    /**
     * A fresh JVM, no warm-up: the backlog is on the topic before the process starts; events per
     * second from the first to the last result, CPU of the whole process (start-up and JIT included).
     */
    COLD,
    /** The worker benchmark's method: a warm-up backlog, the measured backlog, then the latency run. */
    WARM
  }

  /** The cold backlog when a point does not say: 20,000 events, 40,000 from 256 in flight (as the peers' report ran them). */
  public static int defaultColdEvents(int maxInFlight) {
    return maxInFlight >= 256 ? 40_000 : 20_000;
  }

  public PeerPoint {
    if (mode == null || point == null || !point.isWorker()) {
      throw new IllegalArgumentException("a comparison point needs a mode and a worker point, got " + mode + " " + point);
    }
    if (mode == Mode.COLD ? events < 1 : events != 0) {
      throw new IllegalArgumentException("a cold point needs a backlog of at least one event, a warm one none: "
          + events);
    }
  }

  public static PeerPoint cold(BenchPoint point, int events) {
    return new PeerPoint(Mode.COLD, point, events);
  }

  public static PeerPoint cold(BenchPoint point) {
    return cold(point, defaultColdEvents(point.maxInFlight()));
  }

  public static PeerPoint warm(BenchPoint point) {
    return new PeerPoint(Mode.WARM, point, 0);
  }

  /** Whether a {@code --points} entry names a comparison point. */
  public static boolean isSpec(String spec) {
    String s = spec.strip();
    return s.startsWith("cold:") || s.startsWith("warm:");
  }

  /**
   * Parses {@code cold:latency/maxInFlight/partitions/instances[:events]} (for example {@code
   * cold:20/64/6/1:30000}; without events the default of {@link #defaultColdEvents}) or {@code
   * warm:latency/maxInFlight/partitions/instances}.
   */
  public static PeerPoint parse(String spec) {
    String[] parts = spec.strip().split(":", -1);
    String syntax = "a comparison point is cold:latencyMs/maxInFlight/partitions/instances[:events] "
        + "(cold:20/64/6/1:20000) or warm:latencyMs/maxInFlight/partitions/instances (warm:20/64/6/1), got '"
        + spec + "'";
    if (parts.length < 2 || parts.length > 3 || parts[1].startsWith("kafka")) {
      throw new IllegalArgumentException(syntax);
    }
    BenchPoint point;
    try {
      point = BenchPoint.parse(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(syntax, e);
    }
    switch (parts[0]) {
      case "cold" -> {
        if (parts.length == 2) {
          return cold(point);
        }
        try {
          return cold(point, Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(syntax, e);
        }
      }
      case "warm" -> {
        if (parts.length == 3) {
          throw new IllegalArgumentException(syntax + " (warm backlogs are sized by --seconds)");
        }
        return warm(point);
      }
      default -> throw new IllegalArgumentException(syntax);
    }
  }

  public boolean isCold() {
    return mode == Mode.COLD;
  }

  /** The syntax {@link #parse} reads: {@code cold:20/64/6/1:20000}, {@code warm:20/64/6/1}. */
  public String label() {
    return isCold() ? "cold:" + point.label() + ":" + events : "warm:" + point.label();
  }

  /** For tables: {@code cold, 20 ms / 64 in flight, 20,000 events}. */
  public String describe() {
    String where = String.format(Locale.ROOT, "%d ms / %d in flight", point.latencyMs(), point.maxInFlight())
        + (point.partitions() == 6 && point.instances() == 1 ? ""
            : String.format(Locale.ROOT, " / %d partitions / %d instances", point.partitions(), point.instances()));
    return isCold() ? String.format(Locale.ROOT, "cold, %s, %,d events", where, events) : "warm, " + where;
  }
}
