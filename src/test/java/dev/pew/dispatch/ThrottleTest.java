package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Retry-After pause: it only ever extends, and its total time counts overlapping pauses once. */
class ThrottleTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Throttle throttle = new Throttle(clock);

  private long now() {
    return clock.millis();
  }

  @Test
  void countsThePausedTimeAsItPassesOverlappingPausesOnce() {
    assertThat(throttle.pausedMillis()).isZero();
    throttle.pauseUntil(now() + 1000);
    assertThat(throttle.pausedMillis()).as("not paused yet: time has not passed").isZero();
    clock.advanceMillis(400);
    assertThat(throttle.pausedMillis()).isEqualTo(400);
    throttle.pauseUntil(now() + 300); // shorter: does not cut the first one short
    assertThat(throttle.waitMillis()).isEqualTo(600);
    throttle.pauseUntil(now() + 1000); // longer: extends it
    clock.advanceMillis(2000);
    assertThat(throttle.pausedMillis()).as("400 + 1000, once").isEqualTo(1400);
    assertThat(throttle.active()).isFalse();

    throttle.pauseUntil(now() - 5); // over already: no pause
    clock.advanceMillis(100);
    assertThat(throttle.pausedMillis()).isEqualTo(1400);
    throttle.pauseUntil(now() + 250);
    clock.advanceMillis(1000);
    assertThat(throttle.pausedMillis()).isEqualTo(1650);
  }
}
