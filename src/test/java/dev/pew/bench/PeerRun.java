package dev.pew.bench;

/**
 * One run of one contender at one comparison point. Immutable.
 *
 * @param contender {@link Contender#WORKER} or a peer's name
 * @param repeat 1, 2, ...: runs with the same repeat ran one right after the other (A B C A B C ...)
 * @param measurement the figures; in cold mode {@code throughput} is events / (last - first result
 *     timestamp), {@code cpuSecondsPer1000} the process's whole CPU from launch to its last result
 *     per 1,000 events, and the latency fields are NaN (cold mode has no latency phase)
 * @param startupSeconds cold: launch of the process to its first result; NaN warm
 * @param steadyRate events per second between the 5th and 95th percentile of result timestamps (the
 *     warm method; in warm mode the same as {@code measurement.throughput()})
 * @param windowCpuSecondsPer1000 the process's CPU per 1,000 events within that 5th-95th window
 */
public record PeerRun(String contender, int repeat, Measurement measurement, double startupSeconds, double steadyRate,
    double windowCpuSecondsPer1000) {

  /** A warm run: the benchmark's usual measurement. */
  public static PeerRun warm(String contender, int repeat, Measurement m) {
    return new PeerRun(contender, repeat, m, Double.NaN, m.throughput(), m.cpuSecondsPer1000());
  }

  public double throughput() {
    return measurement.throughput();
  }

  /** CPU ms per event (CPU seconds per 1,000 events). */
  public double cpuMsPerEvent() {
    return measurement.cpuSecondsPer1000();
  }

  public double rssPeakMiB() {
    return measurement.rssPeakMiB();
  }
}
