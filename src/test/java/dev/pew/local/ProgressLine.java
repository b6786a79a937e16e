package dev.pew.local;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One plain-text progress line per call: results so far against those expected, the rate since the
 * previous line, and the time since the start. No terminal control codes, so it reads the same in
 * a terminal, a pipe or a CI log. The tick source is injected so the rate can be checked without
 * waiting.
 *
 * <p>Not thread-safe: confine to the thread that prints.
 */
final class ProgressLine {

  private final LongSupplier nanoClock;
  private final int expected;
  private final long startNanos;
  private long lastNanos;
  private int lastResults;

  ProgressLine(LongSupplier nanoClock, int expected) {
    this.nanoClock = nanoClock;
    this.expected = expected;
    this.startNanos = nanoClock.getAsLong();
    this.lastNanos = startNanos;
  }

  String next(ResultTally.Progress p) {
    long now = nanoClock.getAsLong();
    double sinceLast = Math.max(1e-3, (now - lastNanos) / 1e9);
    double rate = (p.results() - lastResults) / sinceLast;
    lastNanos = now;
    lastResults = p.results();
    int percent = expected == 0 ? 100 : (int) (100L * (expected - p.missing()) / expected);
    return String.format(Locale.ROOT, "  [%6.1f s] results %d/%d %3d%%  %7.1f events/s  (sent %d, failed %d)",
        (now - startNanos) / 1e9, p.results(), expected, percent, rate, p.sent(), p.failed());
  }
}
