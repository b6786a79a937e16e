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
  /** Start of the latest pause, and the length of all pauses before it (for {@link #pausedMillis()}). */
  private long pauseStartedAt;
  private long pausedBeforeMillis;

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** No call starts before {@code epochMillis}. */
  public synchronized void pauseUntil(long epochMillis) {
    long now = clock.millis();
    if (epochMillis <= now) {
      return; // over already
    }
    if (pausedUntil <= now) { // a new pause: the previous one is over
      pausedBeforeMillis += Math.max(0, pausedUntil - pauseStartedAt);
      pauseStartedAt = now;
    }
    pausedUntil = Math.max(pausedUntil, epochMillis);
  }

  /** How long pauses have held calls back since start, overlapping ones counted once; grows while one lasts. */
  public synchronized long pausedMillis() {
    return pausedBeforeMillis + Math.max(0, Math.min(clock.millis(), pausedUntil) - pauseStartedAt);
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
