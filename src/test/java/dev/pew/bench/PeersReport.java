package dev.pew.bench;

import dev.pew.testing.Stats;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side part of the report: every contender's figures at every comparison point, then
 * the worker's ratios to each peer (paired run by run, see {@link PeerSummary#ratio}). Stateless.
 */
final class PeersReport {

  private PeersReport() {}

  static void render(BenchResults r, StringBuilder b) {
    List<PeerSummary> comparisons = r.comparisons();
    if (comparisons.isEmpty()) {
      return;
    }
    BenchOptions o = r.options();
    b.append("\n## Side by side with the peers\n\n");
    b.append("Each contender is a process of its own with the same environment keys (KAFKA_BOOTSTRAP_SERVERS, "
        + "KAFKA_GROUP_ID,\nTOPIC_INPUT, TOPIC_SENT, TOPIC_FAILED, XC_ENDPOINT_URL, MAX_IN_FLIGHT), against the same "
        + "simulator (no token\nchecked: the peers send none). JVM options: worker `")
        .append(o.workerJvmOptions().isEmpty() ? "(none)" : String.join(" ", o.workerJvmOptions()))
        .append("`, peers `").append(o.peerJvmOptions().isEmpty() ? "(none: JVM defaults)"
            : String.join(" ", o.peerJvmOptions())).append("` (each also `-Xlog:gc:file=...` for its heap). ")
        .append("Runs alternate\n(").append(String.join(" ", comparisons.get(0).contenders()))
        .append(", then again), ").append(o.repeats()).append(" per contender and point.\n\n");
    b.append("- **cold**: a fresh JVM, no warm-up; the backlog is on the topic before the process starts. "
        + "events/s = events / (last - first\n  result timestamp); CPU = the process's whole CPU from launch to its "
        + "last result, per event (start-up and JIT included);\n  \"steady\" columns: the 5th-95th percentile "
        + "window of result timestamps, as warm.\n");
    b.append("- **warm**: the worker benchmark's method: an unmeasured warm-up backlog, then the measured backlog "
        + "(events/s and CPU\n  between the 5th and 95th percentile of result timestamps), then the open-loop latency "
        + "run at half that rate.\n");
    b.append("- RSS is the kernel's peak (`VmHWM`) of the process; heap the most in use before a collection "
        + "(GC log).\n\n");

    b.append("| point | contender | events/s median (min-max) | of Little's bound | steady events/s | CPU ms / event "
        + "median (min-max) | steady CPU ms / event | RSS peak MiB (max) | heap peak MiB | first result after s "
        + "| added p50 / p99 ms | failed / duplicates |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PeerSummary s : comparisons) {
      for (String c : s.contenders()) {
        if (s.runsOf(c).isEmpty()) {
          continue;
        }
        Stats rate = s.stats(c, PeerRun::throughput);
        Stats cpu = s.stats(c, PeerRun::cpuMsPerEvent);
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d / %d |%n",
            s.point().describe(), Contender.title(c), withRange(rate, "%,.0f"),
            BenchReport.percent(rate.median() / s.point().point().littleBound()),
            number(s.stats(c, PeerRun::steadyRate).median(), "%,.0f"), withRange(cpu, "%.3f"),
            number(s.stats(c, PeerRun::windowCpuSecondsPer1000).median(), "%.3f"),
            number(s.stats(c, PeerRun::rssPeakMiB).max(), "%.0f"),
            number(s.stats(c, run -> run.measurement().heapPeakMiB()).max(), "%.0f"),
            number(s.stats(c, PeerRun::startupSeconds).median(), "%.1f"),
            s.point().isCold() ? "-" : number(s.stats(c, run -> run.measurement().addedP50()).median(), "%.1f")
                + " / " + number(s.stats(c, run -> run.measurement().addedP99()).median(), "%.1f"),
            s.runsOf(c).stream().mapToInt(run -> run.measurement().failed()).sum(),
            s.runsOf(c).stream().mapToInt(run -> run.measurement().duplicates()).sum()));
      }
    }

    b.append("\nRatios, worker / peer, one per repeat (the worker's run over the peer's run of the same round), "
        + "median (min-max).\nevents/s above 1: the worker is faster; CPU per event and RSS below 1: the worker "
        + "uses less.\n\n");
    b.append("| point | worker / peer | events/s | CPU ms / event | RSS peak |\n|---|---|---:|---:|---:|\n");
    for (PeerSummary s : comparisons) {
      for (String peer : s.peers()) {
        b.append(String.format(Locale.ROOT, "| %s | worker / %s | %s | %s | %s |%n", s.point().describe(), peer,
            ratio(s, peer, PeerRun::throughput), ratio(s, peer, PeerRun::cpuMsPerEvent),
            ratio(s, peer, PeerRun::rssPeakMiB)));
      }
    }
  }

  /** The worker's ratio to {@code peer}: median (min-max) over the paired repeats. */
  static String ratio(PeerSummary s, String peer, ToDoubleFunction<PeerRun> figure) {
    Stats ratios = s.ratio(Contender.WORKER, peer, figure);
    return withRange(ratios, "%.2f");
  }

  /** {@code median (min-max)}, the median alone for one value, "-" for none. */
  static String withRange(Stats s, String format) {
    if (s.isEmpty()) {
      return "-";
    }
    String median = String.format(Locale.ROOT, format, s.median());
    return s.count() == 1 ? median
        : median + " (" + String.format(Locale.ROOT, format, s.min()) + "-" + String.format(Locale.ROOT, format, s.max())
            + ")";
  }

  private static String number(double v, String format) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
  }

  /** One line per run for the console. */
  static String progressLine(PeerPoint p, PeerRun r, int repeats) {
    Measurement m = r.measurement();
    return String.format(Locale.ROOT, "  %-22s %-9s run %d/%d: %,8.0f events/s (%s of bound; steady %,.0f/s), "
            + "%d events, CPU ms/event %.3f (steady %.3f), heap %.0f MiB, RSS %.0f MiB, peak %d in flight%s%s%s",
        p.label(), r.contender(), r.repeat(), repeats, m.throughput(),
        BenchReport.percent(m.throughput() / p.point().littleBound()), r.steadyRate(), m.events(),
        m.cpuSecondsPer1000(), r.windowCpuSecondsPer1000(), m.heapPeakMiB(), m.rssPeakMiB(), m.peakInFlight(),
        Double.isNaN(r.startupSeconds()) ? "" : String.format(Locale.ROOT, ", first result after %.1f s",
            r.startupSeconds()),
        p.isCold() ? "" : String.format(Locale.ROOT, "; paced %,.0f/s: added p50 %.1f / p99 %.1f ms", m.pacedRate(),
            m.addedP50(), m.addedP99()),
        m.failed() + m.duplicates() > 0 ? String.format(Locale.ROOT, "; %d FAILED, %d DUPLICATES", m.failed(),
            m.duplicates()) : "");
  }
}
