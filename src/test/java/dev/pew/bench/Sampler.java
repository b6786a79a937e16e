package dev.pew.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the instances under measurement while a run lasts: their CPU time and the harness's
 * (the benchmark's JVM and the broker) every 200 ms, so CPU can be attributed to the steady window
 * of a run, not to JVM start-up and JIT warm-up.
 *
 * <p>Thread-safe.
 */
final class Sampler implements AutoCloseable {

  private static final long CPU_EVERY_MS = 200;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-sampler");
    t.setDaemon(true);
    return t;
  });
  private final List<BenchProcess> instances;
  private final List<ProcessHandle> harness;
  private final List<double[]> cpu = new ArrayList<>(); // {epoch ms, instances' CPU s, harness CPU s}

  private Sampler(List<BenchProcess> instances, List<ProcessHandle> harness) {
    this.instances = List.copyOf(instances);
    this.harness = List.copyOf(harness);
  }

  /** Samples {@code instances} and, as the harness, {@code harness} (this JVM, a broker process). */
  static Sampler start(List<BenchProcess> instances, List<ProcessHandle> harness) {
    Sampler s = new Sampler(instances, harness);
    s.timer.scheduleAtFixedRate(s::sample, 0, CPU_EVERY_MS, TimeUnit.MILLISECONDS);
    return s;
  }

  private void sample() {
    double workers = instances.stream().mapToDouble(BenchProcess::cpuSeconds).sum();
    double others = harness.stream()
        .mapToDouble(h -> h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN)).sum();
    synchronized (cpu) {
      cpu.add(new double[] {System.currentTimeMillis(), workers, others});
    }
  }

  /** CPU seconds the instances used between two epoch-ms times (interpolated between samples). */
  double workerCpuBetween(double fromMs, double toMs) {
    return at(toMs, 1) - at(fromMs, 1);
  }

  /** CPU seconds the instances had used by an epoch-ms time, since they started (interpolated). */
  double workerCpuAt(double ms) {
    return at(ms, 1);
  }

  /** CPU seconds the harness (this JVM and the broker's process) used between two epoch-ms times. */
  double harnessCpuBetween(double fromMs, double toMs) {
    return at(toMs, 2) - at(fromMs, 2);
  }

  private double at(double ms, int column) {
    synchronized (cpu) {
      if (cpu.isEmpty()) {
        return Double.NaN;
      }
      double[] before = cpu.get(0);
      for (double[] s : cpu) {
        if (s[0] >= ms) {
          if (s[0] == before[0]) {
            return s[column];
          }
          double f = (ms - before[0]) / (s[0] - before[0]);
          return before[column] + f * (s[column] - before[column]);
        }
        before = s;
      }
      return before[column];
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
