package dev.pew.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} the test moves by hand, so timing code can be tested without sleeping. Time
 * stands still until {@link #advance}, {@link #advanceMillis} or {@link #set} moves it; only {@link
 * #set} may move it backwards (to test clocks that step back).
 *
 * <p>Thread-safe: a test thread may move it while code under test reads it on an event loop. A
 * clock from {@link #withZone} shares the same time, so moving either moves both.
 */
public final class ManualClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A UTC clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Moves the time forward by {@code d}.
   *
   * @throws IllegalArgumentException for a negative duration (use {@link #set} to go back)
   */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("advance by a negative duration: " + d);
    }
    now.updateAndGet(t -> t.plus(d));
  }

  /** Moves the time forward by {@code ms} milliseconds. */
  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  /** Puts the time at {@code t}, forwards or backwards. */
  public void set(Instant t) {
    now.set(Objects.requireNonNull(t, "t"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public ManualClock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new ManualClock(now, zone);
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + ", " + zone + "]";
  }
}
