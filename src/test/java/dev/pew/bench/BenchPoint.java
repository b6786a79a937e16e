package dev.pew.bench;

import java.util.Locale;

/**
 * One point of the benchmark matrix: what runs (the worker, or the raw Kafka pipe that gives the
 * ceiling), the simulator's fixed latency, the concurrency limit per instance, the input topic's
 * partitions and how many instances share the consumer group. Immutable.
 *
 * @param kind what consumes the input topic
 * @param latencyMs the simulator's answer delay (ignored by the raw pipe, which calls nothing)
 * @param maxInFlight {@code MAX_IN_FLIGHT} of each worker instance (ignored by the raw pipe)
 * @param partitions partitions of the input topic
 * @param instances processes in the consumer group
 */
public record BenchPoint(Kind kind, int latencyMs, int maxInFlight, int partitions, int instances) {

  /** What consumes the input topic. */
  public enum Kind {
    /** password-email-worker, as {@code java -jar target/password-email-worker.jar}. */
    WORKER,
    /** {@link RawKafkaPipe}: consume, produce a result-sized record, commit; no HTTP call. */
    RAW_KAFKA
  }

  public BenchPoint {
    if (kind == null || latencyMs < 0 || maxInFlight < 1 || partitions < 1 || instances < 1) {
      throw new IllegalArgumentException("bad benchmark point: " + kind + " " + latencyMs + " ms, "
          + maxInFlight + " in flight, " + partitions + " partitions, " + instances + " instances");
    }
  }

  public static BenchPoint worker(int latencyMs, int maxInFlight, int partitions, int instances) {
    return new BenchPoint(Kind.WORKER, latencyMs, maxInFlight, partitions, instances);
  }

  public static BenchPoint rawKafka(int partitions) {
    return new BenchPoint(Kind.RAW_KAFKA, 0, 1, partitions, 1);
  }

  /**
   * Parses {@code latency/maxInFlight/partitions/instances} (for example {@code 20/64/6/1}) or
   * {@code kafka/partitions} for the raw pipe.
   */
  public static BenchPoint parse(String spec) {
    String[] parts = spec.strip().split("/");
    try {
      if (parts.length == 2 && parts[0].equals("kafka")) {
        return rawKafka(Integer.parseInt(parts[1]));
      }
      if (parts.length == 4) {
        return worker(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
            Integer.parseInt(parts[3]));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("a point is latencyMs/maxInFlight/partitions/instances (20/64/6/1) or "
        + "kafka/partitions (kafka/6), got '" + spec + "'");
  }

  public boolean isWorker() {
    return kind == Kind.WORKER;
  }

  /**
   * Little's law: with {@code maxInFlight} calls in flight per instance, each taking the latency,
   * no more than {@code instances * maxInFlight / latency} calls end per second. Infinite at 0 ms
   * (the bound is then the Kafka ceiling).
   */
  public double littleBound() {
    return isWorker() && latencyMs > 0 ? instances * maxInFlight * 1000.0 / latencyMs : Double.POSITIVE_INFINITY;
  }

  /** Little's law with a measured mean call latency instead of the configured one. */
  public double littleBound(double meanCallMs) {
    return isWorker() && meanCallMs > 0 ? instances * maxInFlight * 1000.0 / meanCallMs : Double.POSITIVE_INFINITY;
  }

  /** Short label used in tables and file names, the same syntax {@link #parse} reads. */
  public String label() {
    return isWorker() ? String.format(Locale.ROOT, "%d/%d/%d/%d", latencyMs, maxInFlight, partitions, instances)
        : "kafka/" + partitions;
  }
}
