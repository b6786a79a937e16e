package dev.pew.bench;

import dev.pew.testing.Stats;
import java.util.Map;

/**
 * Percentiles of the latency phase, in ms: the call as the simulator saw it, end-to-end (input
 * record timestamp to result record timestamp), added (end-to-end minus the event's own call), and
 * the split by the result's {@code receivedAt} and {@code completedAt} into intake, work and
 * publishing. A result without those fields (a peer's) leaves the split NaN. Immutable.
 */
record Latencies(double callP50, double callP99, double e2eP50, double e2eP99, double addedP50, double addedP99,
    double intakeP50, double intakeP99, double workP50, double workP99, double publishP50, double publishP99) {

  static Latencies of(int from, int to, LoadGenerator load, ResultCollector results, Map<Integer, Double> callMs) {
    int n = to - from;
    long[] resultTs = results.timestamps(from, to);
    long[] received = results.receivedAt(from, to);
    long[] completed = results.completedAt(from, to);
    double[] e2e = new double[n];
    double[] call = new double[callMs.isEmpty() ? 0 : n];
    double[] added = new double[n];
    int split = 0;
    for (int i = 0; i < n; i++) {
      if (received[i] > 0 && completed[i] > 0) {
        split++;
      }
    }
    double[] intake = new double[split];
    double[] work = new double[split];
    double[] publish = new double[split];
    int j = 0;
    for (int i = 0; i < n; i++) {
      long input = load.inputTimestamp(from + i);
      e2e[i] = resultTs[i] - input;
      double c = callMs.isEmpty() ? 0 : callMs.getOrDefault(from + i, Double.NaN);
      if (call.length > 0) {
        call[i] = c;
      }
      added[i] = e2e[i] - c;
      if (received[i] > 0 && completed[i] > 0) {
        intake[j] = received[i] - input;
        work[j] = completed[i] - received[i];
        publish[j] = resultTs[i] - completed[i];
        j++;
      }
    }
    Stats e = Stats.of(e2e);
    Stats c = Stats.of(call);
    Stats a = Stats.of(added);
    Stats in = Stats.of(intake);
    Stats w = Stats.of(work);
    Stats p = Stats.of(publish);
    return new Latencies(c.percentile(50), c.percentile(99), e.percentile(50), e.percentile(99),
        a.percentile(50), a.percentile(99), in.percentile(50), in.percentile(99), w.percentile(50), w.percentile(99),
        p.percentile(50), p.percentile(99));
  }
}
