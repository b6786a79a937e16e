package dev.pew.bench;

import dev.pew.testing.Stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Every run at one comparison point, of every contender, summarised: medians and min-max per
 * contender, and ratios between two contenders taken run by run (the worker's run of repeat r over
 * the peer's run of repeat r, which ran right after it: the machine's drift between repeats cancels).
 * Immutable.
 *
 * @param contenders in run order, the worker first
 */
public record PeerSummary(PeerPoint point, List<String> contenders, List<PeerRun> runs) {

  public PeerSummary {
    contenders = List.copyOf(contenders);
    runs = List.copyOf(runs);
    for (PeerRun r : runs) {
      if (!contenders.contains(r.contender())) {
        throw new IllegalArgumentException("run of " + r.contender() + " at " + point.label() + ", not a contender");
      }
    }
  }

  public List<PeerRun> runsOf(String contender) {
    return runs.stream().filter(r -> r.contender().equals(contender)).sorted(Comparator.comparingInt(PeerRun::repeat))
        .toList();
  }

  /** A figure over the contender's runs; empty stats when it has none. */
  public Stats stats(String contender, ToDoubleFunction<PeerRun> figure) {
    return Stats.of(runsOf(contender).stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray());
  }

  /**
   * {@code figure(a) / figure(b)} for every repeat both ran, paired by repeat; empty when there is
   * no pair.
   */
  public Stats ratio(String a, String b, ToDoubleFunction<PeerRun> figure) {
    List<Double> ratios = new ArrayList<>();
    for (PeerRun ra : runsOf(a)) {
      Optional<PeerRun> rb = runsOf(b).stream().filter(r -> r.repeat() == ra.repeat()).findFirst();
      if (rb.isPresent()) {
        double v = figure.applyAsDouble(ra) / figure.applyAsDouble(rb.get());
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          ratios.add(v);
        }
      }
    }
    return Stats.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public List<String> peers() {
    return contenders.stream().filter(c -> !c.equals(Contender.WORKER)).toList();
  }

  public int totalFailed() {
    return runs.stream().mapToInt(r -> r.measurement().failed()).sum();
  }

  public int totalDuplicates() {
    return runs.stream().mapToInt(r -> r.measurement().duplicates()).sum();
  }
}
