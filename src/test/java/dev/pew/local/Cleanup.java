package dev.pew.local;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a local run has started, closed in reverse order exactly once, whether the run ends
 * normally, fails, or is interrupted (Ctrl-C runs {@link #closeAll()} from a shutdown hook).
 * A step that fails to close is reported and the others are still closed.
 *
 * <p>Thread-safe: the main thread and the shutdown hook may both call {@link #closeAll()}; the
 * second call waits for the first and then does nothing.
 */
final class Cleanup {

  /** One thing to close, named for the error message. */
  interface Step {
    void close() throws Exception;
  }

  private final PrintStream err;
  private final Deque<Runnable> steps = new ArrayDeque<>();
  private boolean closed;

  Cleanup(PrintStream err) {
    this.err = err;
  }

  /**
   * Registers {@code step} to run at {@link #closeAll()}; returns {@code resource} for chaining.
   * When everything is already closed (the run was interrupted), closes it at once.
   */
  <T> T add(String name, T resource, Step step) {
    Runnable guarded = () -> {
      try {
        step.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("run-local: interrupted while closing " + name);
      } catch (Exception e) {
        err.println("run-local: could not close " + name + ": " + e);
      }
    };
    boolean closeNow;
    synchronized (this) {
      closeNow = closed;
      if (!closeNow) {
        steps.push(guarded);
      }
    }
    if (closeNow) {
      guarded.run();
    }
    return resource;
  }

  /** Closes everything registered, newest first, and says how many things that was. Idempotent. */
  synchronized int closeAll() {
    closed = true;
    int n = 0;
    for (; !steps.isEmpty(); n++) {
      steps.pop().run();
    }
    return n;
  }

  synchronized boolean closed() {
    return closed;
  }
}
