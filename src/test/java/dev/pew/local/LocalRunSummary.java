package dev.pew.local;

import dev.pew.testing.Stats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a local run found, and whether everything is accounted for: each input that should have a
 * result has exactly one, with the outcome the contract promises, each failure has its dead-letter
 * copy, and the worker stopped cleanly on SIGTERM. Holds no email address and no token.
 *
 * <p>Immutable and thread-safe (the arrays and maps are not handed out for change).
 *
 * @param produced records written to the input topic, tombstones included
 * @param tombstones of them, null values that must produce no result
 * @param counts the results as read back from the result and dead-letter topics after the stop
 * @param apiCalls calls the simulator received
 * @param expectedCalls calls the contract's retry rules need for this batch
 * @param peakConcurrentCalls the most calls the simulator held at once
 * @param apiAnswers the simulator's answers by HTTP status
 * @param ready the worker's {@code /health/ready} answer just before the stop
 * @param metricLines a few {@code /metrics} lines fetched just before the stop
 * @param time where the time went, from the same scrape; empty when it lacks the worker's time meters
 * @param simulatedLatency the simulator's mean latency as configured (the middle of its range)
 * @param stop how the worker ended after SIGTERM
 * @param timedOut whether the wait for all results ran out
 * @param workerLog where the worker's output is, relative to the project directory
 */
public record LocalRunSummary(
    int produced,
    int tombstones,
    int maxInFlight,
    ResultTally.Counts counts,
    long apiCalls,
    long expectedCalls,
    int peakConcurrentCalls,
    Map<Integer, Long> apiAnswers,
    WorkerProbe.Answer ready,
    List<String> metricLines,
    Optional<TimeAccount> time,
    Duration simulatedLatency,
    WorkerJarProcess.StopResult stop,
    boolean timedOut,
    String workerLog,
    Duration wallTime) {

  /** True when every event is accounted for and the worker stopped cleanly. */
  public boolean ok() {
    return !timedOut && missing() == 0 && duplicates() == 0 && counts.unexpectedOutcomes() == 0
        && counts.answeredWithoutCall() == counts.redeliveries()
        && counts.unknownIds() == 0 && counts.unreadable() == 0 && counts.deadLetters() == counts.failed()
        && stop.clean();
  }

  public int expectedResults() {
    return counts.expected();
  }

  public int results() {
    return counts.results();
  }

  public int sent() {
    return counts.sent();
  }

  public int failed() {
    return counts.failed();
  }

  public int missing() {
    return counts.missing();
  }

  public int duplicates() {
    return counts.duplicates();
  }

  public int unexpectedOutcomes() {
    return counts.unexpectedOutcomes();
  }

  public int deadLetters() {
    return counts.deadLetters();
  }

  /** Results per second from the first {@code receivedAt} to the last {@code completedAt}; 0 without results. */
  public double throughput() {
    if (counts.firstReceived() == null) {
      return 0;
    }
    long ms = Math.max(1, Duration.between(counts.firstReceived(), counts.lastCompleted()).toMillis());
    return counts.results() * 1000.0 / ms;
  }

  /** The worker's exit code after SIGTERM, -1 when it had to be killed. */
  public int workerExitCode() {
    return stop.exitCode();
  }

  void render(PrintStream out) {
    Stats latency = Stats.of(counts.durationsMs());
    Map<String, Integer> failures = counts.byOutcome().entrySet().stream()
        .filter(e -> !e.getKey().equals("SENT"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    out.println();
    out.println("Summary");
    row(out, "events produced", produced + " (" + expectedResults() + " expect a result, " + tombstones + " tombstones, "
        + counts.redeliveries() + " delivered twice)");
    row(out, "sent", sent() + " (" + counts.sentAfterRetry() + " of them after retries)");
    row(out, "failed", failed() + (failures.isEmpty() ? "" : ": " + join(failures)));
    row(out, "skipped tombstones", tombstones + " (no result, as the contract says)");
    row(out, "dead-letter copies", deadLetters() + " (one per failed input: " + failed() + ")");
    row(out, "results missing", missing() + mark(missing() == 0));
    row(out, "duplicates", duplicates() + mark(duplicates() == 0));
    row(out, "redeliveries", counts.redeliveries() + " events delivered again, " + counts.answeredWithoutCall()
        + " answered without a call (SENT, attempts 0, duplicateOf)" + mark(counts.answeredWithoutCall() == counts.redeliveries()));
    row(out, "unexpected outcomes", counts.unexpectedOutcomes() + mark(counts.unexpectedOutcomes() == 0)
        + extra(counts.unknownIds(), "results for unknown events") + extra(counts.unreadable(), "unreadable results"));
    if (counts.firstReceived() != null) {
      row(out, "throughput", String.format(Locale.ROOT, "%.1f events/s (%d results, first receivedAt to last completedAt %.2f s)",
          throughput(), results(), Duration.between(counts.firstReceived(), counts.lastCompleted()).toMillis() / 1000.0));
      time.ifPresent(t -> timeRows(out, t, Math.max(1, Duration.between(counts.firstReceived(), counts.lastCompleted()).toMillis()) / 1000.0));
    }
    row(out, "end-to-end latency", latency.isEmpty() ? "no results" : String.format(Locale.ROOT,
        "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (results' durationMs)",
        latency.percentile(50), latency.percentile(95), latency.percentile(99), latency.max()));
    row(out, "API calls", apiCalls + " (" + expectedCalls + " expected), peak concurrent " + peakConcurrentCalls
        + " (MAX_IN_FLIGHT " + maxInFlight + ")");
    row(out, "API answers", join(apiAnswers));
    row(out, "/health/ready", ready.status() + " " + ready.body());
    for (int i = 0; i < metricLines.size(); i++) {
      row(out, i == 0 ? "/metrics" : "", metricLines.get(i));
    }
    row(out, "worker stop", stopText());
    row(out, "worker log", workerLog);
    out.println(String.format(Locale.ROOT, "%s (wall time %.1f s)",
        ok() ? "RESULT: OK, every event accounted for" : "RESULT: FAILED, " + problem(), wallTime.toMillis() / 1000.0));
  }

  /** Where the time of the throughput window went: the calls could not start, or waited, or ran. */
  private void timeRows(PrintStream out, TimeAccount t, double window) {
    row(out, "time throttled", String.format(Locale.ROOT,
        "%.2f s: no call started while a 429's Retry-After lasted (pew_throttled_seconds_total)", t.throttledSeconds()));
    row(out, "time held", String.format(Locale.ROOT,
        "%.2f s: no call but probes while holding for an outage or a refused credential (pew_hold_seconds_total)",
        t.heldSeconds()));
    row(out, "retry backoff", String.format(Locale.ROOT,
        "%.2f s waited by events for %d retries, other events going on meanwhile (pew_retry_backoff_seconds_total)",
        t.retryBackoffSeconds(), Math.round(t.retries())));
    double allowed = t.allowedSeconds(window);
    row(out, "allowed to call", String.format(Locale.ROOT, "%.2f s of the %.2f s (not throttled, not held): %.1f events/s over them",
        allowed, window, results() / allowed));
    long simulatedMs = simulatedLatency.toMillis();
    row(out, "Little's bound", t.calls() == 0 ? "no calls" : String.format(Locale.ROOT,
        "%.0f events/s = MAX_IN_FLIGHT %d / mean call %.0f ms as the worker timed them%s", t.littleBound(maxInFlight),
        maxInFlight, t.meanCallMillis(), simulatedMs <= 0 ? "" : String.format(Locale.ROOT,
            " (%.0f events/s at the simulator's %d ms)", maxInFlight * 1000.0 / simulatedMs, simulatedMs)));
    row(out, "calls in flight", String.format(Locale.ROOT, "%.1f on average over the %.2f s%s", t.meanInFlight(window), window,
        t.workerCores().map(c -> String.format(Locale.ROOT, "; the worker used %.2f cores", c)).orElse("")));
  }

  private String stopText() {
    String bad = "   <-- should exit 0 soon after SIGTERM";
    if (!stop.wasRunning()) {
      return "the worker had already exited with code " + stop.exitCode() + bad;
    }
    String took = String.format(Locale.ROOT, "%.1f s", stop.took().toMillis() / 1000.0);
    return stop.exitedInTime()
        ? "SIGTERM, exited " + stop.exitCode() + " after " + took + (stop.exitCode() == 0 ? "" : bad)
        : "SIGTERM, still running after " + took + " (SHUTDOWN_GRACE_MS + 5 s), killed" + bad;
  }

  private String problem() {
    if (timedOut) {
      return "timed out waiting for " + missing() + " result(s)";
    }
    if (missing() > 0 || duplicates() > 0 || counts.unexpectedOutcomes() > 0 || counts.unknownIds() > 0
        || counts.unreadable() > 0) {
      return "results do not match the inputs";
    }
    if (counts.deadLetters() != counts.failed()) {
      return "dead-letter copies do not match the failures";
    }
    return "the worker did not stop cleanly";
  }

  private static void row(PrintStream out, String label, String value) {
    out.println(String.format(Locale.ROOT, "  %-20s %s", label, value));
  }

  private static String mark(boolean good) {
    return good ? "" : "   <-- should be 0";
  }

  private static String extra(int n, String what) {
    return n == 0 ? "" : ", " + n + " " + what;
  }

  private static String join(Map<?, ? extends Number> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
