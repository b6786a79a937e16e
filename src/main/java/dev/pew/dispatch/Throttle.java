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
  private volatile java.util.function.LongConsumer origin = until -> { };

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** Tells {@code origin} (the fleet) of every pause this instance was asked for; once, at wiring time. */
  public void shareWith(java.util.function.LongConsumer origin) {
    this.origin = origin;
  }

  /** A 429 told this instance to wait: no call starts before {@code epochMillis}; shared with the fleet. */
  public void pauseUntil(long epochMillis) {
    if (adopt(epochMillis)) {
      origin.accept(epochMillis);
    }
  }

  /** Another member was told to wait: no call starts here either before {@code epochMillis}. Whether it extended the pause. */
  public synchronized boolean adopt(long epochMillis) {
    if (epochMillis <= pausedUntil) {
      return false;
    }
    pausedUntil = epochMillis;
    return true;
  }

  /** Until when calls wait (epoch milliseconds; in the past when they do not). */
  public long pausedUntil() {
    return pausedUntil;
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
