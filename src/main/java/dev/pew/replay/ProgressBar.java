package dev.pew.replay;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The replay's progress on stderr: on a terminal one line redrawn in place (at most ten times a
 * second), {@code [########------------]  40%  read 400/1000  matched 120  published 118}; otherwise
 * (a file, a CI log) a plain line every few seconds and a last one at the end. Not thread-safe.
 */
final class ProgressBar implements Replayer.Progress {

  private static final int WIDTH = 24;
  private static final long TERMINAL_EVERY_NANOS = 100_000_000L;
  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private final LongSupplier nanos;
  private long lastAt;
  private int lastLength;
  private boolean drawn;

  ProgressBar(PrintStream err, boolean terminal, LongSupplier nanos) {
    this.err = err;
    this.terminal = terminal;
    this.nanos = nanos;
    this.lastAt = nanos.getAsLong();
  }

  /** Whether stderr is most likely a terminal: an interactive console (and, on Java 22+, a real one). */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal"); // Java 22+
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22 a console exists only when the JVM is attached to a terminal
    }
  }

  @Override
  public void update(Replayer.Counts counts, long total) {
    long now = nanos.getAsLong();
    if (now - lastAt < (terminal ? TERMINAL_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
      return;
    }
    lastAt = now;
    draw(counts, total);
  }

  @Override
  public void done(Replayer.Counts counts, long total) {
    draw(counts, total);
    if (terminal) {
      err.println();
    }
    drawn = false;
  }

  /** Ends a redrawn line before an error message is printed below it. */
  void abandon() {
    if (terminal && drawn) {
      err.println();
    }
    drawn = false;
  }

  private void draw(Replayer.Counts c, long total) {
    String line = line(c, total);
    if (terminal) {
      String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
      err.print("\r" + line + pad);
      err.flush();
      lastLength = line.length();
      drawn = true;
    } else {
      err.println("replay: " + line);
    }
  }

  String line(Replayer.Counts c, long total) {
    // total counts offsets; compaction or transaction markers can leave fewer records to read.
    double share = total <= 0 ? 1 : Math.min(1, (double) c.read / total);
    if (c.limitReached) {
      share = 1;
    }
    int filled = (int) Math.round(share * WIDTH);
    String bar = terminal ? "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " : "";
    return String.format(Locale.ROOT, "%s%3d%%  read %d/%d  matched %d  %s %d", bar, Math.round(share * 100), c.read,
        total, c.matched, "published", c.published.get());
  }
}
