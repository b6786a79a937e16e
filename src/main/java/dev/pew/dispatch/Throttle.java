package dev.pew.dispatch;

import java.time.Clock;
import java.util.function.LongConsumer;

/**
 * The worker's {@code Retry-After} pause: a 429 asks every call to wait, not just the event that got
 * it, so while a pause lasts no call starts. Pauses only ever extend: a shorter one never cuts a
 * longer one short. A pause this instance was asked for is shared with the fleet ({@link #shareWith});
 * one another member was asked for is {@link #adopt adopted}.
 *
 * <p>Thread-safe: set on the dispatcher's event loop (or by the fleet), read from any thread.
 */
public final class Throttle {

  private final Clock clock;
  private volatile long pausedUntil;
  private volatile LongConsumer origin = until -> { };
  /** Start of the latest pause, and the length of all pauses before it (for {@link #pausedMillis()}). */
  private long pauseStartedAt;
  private long pausedBeforeMillis;

  public Throttle(Clock clock) {
    this.clock = clock;
  }

  /** Tells {@code origin} (the fleet) of every pause this instance was asked for; once, at wiring time. */
  public void shareWith(LongConsumer origin) {
    this.origin = origin;
  }

  /** A 429 told this instance to wait: no call starts before {@code epochMillis}; shared with the fleet. */
  public void pauseUntil(long epochMillis) {
    if (adopt(epochMillis)) {
      origin.accept(epochMillis);
    }
  }

  /** No call starts before {@code epochMillis} (another member was told to wait). Whether it extended the pause. */
  public synchronized boolean adopt(long epochMillis) {
    long now = clock.millis();
    if (epochMillis <= now || epochMillis <= pausedUntil) {
      return false; // over already, or within the current pause
    }
    if (pausedUntil <= now) { // a new pause: the previous one is over
      pausedBeforeMillis += Math.max(0, pausedUntil - pauseStartedAt);
      pauseStartedAt = now;
    }
    pausedUntil = epochMillis;
    return true;
  }

  /** Until when calls wait (epoch milliseconds; in the past when they do not). */
  public long pausedUntil() {
    return pausedUntil;
  }

  /** Time calls waited for pauses since start, the current one so far included. */
  public synchronized long pausedMillis() {
    long now = clock.millis();
    return pausedBeforeMillis + Math.max(0, Math.min(now, pausedUntil) - pauseStartedAt);
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
