package dev.pew.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Notices when this JVM stops running its threads (a GC pause, or no CPU for it on a busy
 * machine): a daemon thread asks to wake every {@link #TICK_MS} ms and records each wake-up that
 * came more than {@code thresholdMs} late. While this JVM stalls, an in-process simulator cannot
 * take calls in, and the ones that waited arrive together when it resumes; a test that counts
 * arrivals per window uses this to tell a stall of its own from a burst the worker sent.
 *
 * <p>Thread-safe.
 */
public final class StallWatch implements AutoCloseable {

  static final long TICK_MS = 5;

  /** A stall: when it began and ended, on {@link System#nanoTime()}. */
  public record Stall(long fromNanos, long toNanos) {
    public boolean overlaps(long from, long to) {
      return fromNanos < to && toNanos > from;
    }

    public long millis() {
      return (toNanos - fromNanos) / 1_000_000;
    }
  }

  private final List<Stall> stalls = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private StallWatch(long thresholdMs) {
    long threshold = thresholdMs * 1_000_000;
    thread = new Thread(() -> {
      long last = System.nanoTime();
      while (running) {
        try {
          Thread.sleep(TICK_MS);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.nanoTime();
        if (now - last - TICK_MS * 1_000_000 > threshold) {
          synchronized (stalls) {
            stalls.add(new Stall(last, now));
          }
        }
        last = now;
      }
    }, "stall-watch");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
  }

  /** Starts watching; stalls longer than {@code thresholdMs} are recorded. */
  public static StallWatch start(long thresholdMs) {
    StallWatch w = new StallWatch(thresholdMs);
    w.thread.start();
    return w;
  }

  public List<Stall> stalls() {
    synchronized (stalls) {
      return List.copyOf(stalls);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
