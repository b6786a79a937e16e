package dev.pew.dispatch;

import java.time.Clock;

/**
 * The worker's {@code Retry-After} pause: a 429 asks every call to wait, not just the event that got
 * it, so while a pause lasts no call starts. Pauses only ever extend: a shorter one never cuts a
 * longer one short.
 *
 * <p>Thread-safe: set on the dispatcher's event loop (or by whatever shares pauses across a fleet),
 * read from any thread.
 */
public final class Throttle {

  private final Clock clock;
  private volatile long pausedUntil;

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** No call starts before {@code epochMillis}. */
  public synchronized void pauseUntil(long epochMillis) {
    pausedUntil = Math.max(pausedUntil, epochMillis);
  }

  /** Milliseconds until calls may start again; 0 when they may now. */
  public long waitMillis() {
    return Math.max(0, pausedUntil - clock.millis());
  }

  /** Whether a pause holds calls back now. */
  public boolean active() {
    return waitMillis() > 0;
  }
}
