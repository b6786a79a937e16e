package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pew.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void unlimitedAlwaysGrantsAtOnce() {
    RateLimiter limiter = RateLimiter.unlimited();

    for (int i = 0; i < 100_000; i++) {
      assertThat(limiter.tryAcquire()).isZero();
    }
  }

  @Test
  void zeroRateMeansUnlimited() {
    assertThat(RateLimiter.perSecond(0, 1, clock)).isSameAs(RateLimiter.unlimited());
  }

  @Test
  void positiveRateGivesATokenBucketOnTheGivenClock() {
    RateLimiter limiter = RateLimiter.perSecond(4, 2, clock);

    assertThat(limiter).isInstanceOf(TokenBucketRateLimiter.class);
    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isEqualTo(250);
    clock.advanceMillis(250);
    assertThat(limiter.tryAcquire()).isZero();
  }

  @Test
  void negativeOrNonFiniteRateIsRejected() {
    assertThatThrownBy(() -> RateLimiter.perSecond(-1, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimiter.perSecond(Double.NaN, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimiter.perSecond(Double.POSITIVE_INFINITY, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
