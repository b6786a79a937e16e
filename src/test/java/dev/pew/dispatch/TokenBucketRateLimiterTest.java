package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pew.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenBucketRateLimiterTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void startsFullAndGrantsTheWholeBurstAtOnce() {
    var limiter = new TokenBucketRateLimiter(2, 5, clock);

    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire()).as("permit %d", i).isZero();
    }
    assertThat(limiter.tryAcquire()).isPositive();
  }

  @ParameterizedTest(name = "{0}/s, burst {1}")
  @CsvSource({"1, 1", "3, 2", "10, 5", "7, 20", "1000, 10"})
  void grantsExactlyRatePermitsPerSecondOnceTheBurstIsSpent(int rate, int burst) {
    var limiter = new TokenBucketRateLimiter(rate, burst, clock);
    drain(limiter);

    for (int second = 0; second < 5; second++) {
      int granted = 0;
      for (int ms = 0; ms < 1000; ms++) {
        clock.advanceMillis(1);
        granted += drain(limiter);
      }
      assertThat(granted).as("second %d", second).isEqualTo(rate);
    }
  }

  @ParameterizedTest(name = "{0}/s")
  @ValueSource(doubles = {1, 3, 7, 0.5, 0.3, 2.5, 1000, 1234.567})
  void reportedWaitIsExactToTheMillisecond(double rate) {
    var limiter = new TokenBucketRateLimiter(rate, 2, clock);

    for (int i = 0; i < 50; i++) {
      drain(limiter);
      long wait = limiter.tryAcquire();
      assertThat(wait).isPositive();

      clock.advanceMillis(wait - 1);
      assertThat(limiter.tryAcquire()).as("one millisecond early, permit %d", i).isEqualTo(1);
      clock.advanceMillis(1);
      assertThat(limiter.tryAcquire()).as("on time, permit %d", i).isZero();
    }
  }

  @Test
  void refusalTakesNothing() {
    var limiter = new TokenBucketRateLimiter(1, 1, clock);
    limiter.tryAcquire();

    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire()).isEqualTo(1000);
    }
    clock.advanceMillis(1000);
    assertThat(limiter.tryAcquire()).isZero();
  }

  @Test
  void halfAPermitPerSecondGrantsOneEveryTwoSeconds() {
    var limiter = new TokenBucketRateLimiter(0.5, 1, clock);

    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isEqualTo(2000);
    clock.advanceMillis(1000);
    assertThat(limiter.tryAcquire()).isEqualTo(1000);
    clock.advanceMillis(999);
    assertThat(limiter.tryAcquire()).isEqualTo(1);
    clock.advanceMillis(1);
    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isEqualTo(2000);
  }

  @ParameterizedTest(name = "{0}/s, burst {1}: {2} permits in 10 s")
  @CsvSource({"3, 2, 32", "2.5, 1, 26", "0.5, 3, 8", "0.3, 2, 5", "7, 2, 72", "100, 10, 1010"})
  void aCallerThatWaitsAsToldGetsTheFullRate(double rate, int burst, int expectedIn10s) {
    var limiter = new TokenBucketRateLimiter(rate, burst, clock);
    Instant end = clock.instant().plusSeconds(10);
    int granted = 0;

    while (!clock.instant().isAfter(end)) {
      long wait = limiter.tryAcquire();
      if (wait == 0) {
        granted++;
      } else {
        clock.advanceMillis(wait);
      }
    }

    assertThat(granted).isEqualTo(expectedIn10s);
  }

  @Test
  void withBurstOneAnIntervalThatIsNotWholeMillisecondsRoundsUp() {
    // 3/s is one permit per 333.3 ms; a bucket that holds one permit is full at 333.3 ms, and a
    // caller woken at 334 ms cannot bank the spare 0.7 ms. Slower, never faster, than the rate.
    var limiter = new TokenBucketRateLimiter(3, 1, clock);
    limiter.tryAcquire();

    for (int i = 0; i < 10; i++) {
      long wait = limiter.tryAcquire();
      assertThat(wait).isEqualTo(334);
      clock.advanceMillis(wait);
      assertThat(limiter.tryAcquire()).isZero();
    }
  }

  @Test
  void aLongPauseRefillsToTheBurstAndNoFurther() {
    var limiter = new TokenBucketRateLimiter(1_000_000, 7, clock);
    drain(limiter);

    clock.advance(Duration.ofDays(365 * 100));

    assertThat(limiter.availablePermits()).isEqualTo(7);
    assertThat(drain(limiter)).isEqualTo(7);
  }

  @Test
  void highestRateAndBurstDoNotOverflow() {
    var limiter =
        new TokenBucketRateLimiter(TokenBucketRateLimiter.MAX_RATE, Integer.MAX_VALUE, clock);
    clock.advance(Duration.ofDays(365 * 100));

    assertThat(limiter.availablePermits()).isEqualTo(Integer.MAX_VALUE);
    assertThat(limiter.tryAcquire()).isZero();
  }

  @Test
  void lowestRateStillGrantsAndReportsItsLongWait() {
    var limiter = new TokenBucketRateLimiter(TokenBucketRateLimiter.MIN_RATE, 1, clock);

    assertThat(limiter.tryAcquire()).isZero();
    assertThat(limiter.tryAcquire()).isEqualTo(1_000_000_000L); // 10^6 s
  }

  @Test
  void aClockSteppingBackwardsGivesNoCreditAndDoesNotStall() {
    var limiter = new TokenBucketRateLimiter(2, 2, clock);
    drain(limiter);

    clock.set(clock.instant().minus(Duration.ofHours(1)));
    assertThat(limiter.tryAcquire()).isEqualTo(500);

    clock.advanceMillis(1000);
    assertThat(drain(limiter)).isEqualTo(2);
  }

  /**
   * Property: whatever a caller does (bursts of calls, waits honoured or not, long and zero pauses),
   * no window of one second ever sees more than rate + burst grants.
   */
  @ParameterizedTest(name = "{0}/s, burst {1}, seed {2}")
  @CsvSource({
    "1, 1, 1", "3, 1, 2", "10, 5, 3", "0.5, 1, 4", "0.5, 3, 5", "2.5, 2, 6", "0.3, 4, 7",
    "100, 1, 8", "100, 50, 9", "1000, 1, 10", "7.25, 3, 11"
  })
  void noOneSecondWindowEverGrantsMoreThanRatePlusBurst(double rate, int burst, long seed) {
    var limiter = new TokenBucketRateLimiter(rate, burst, clock);
    var random = new Random(seed);
    List<Long> grantTimes = new ArrayList<>();
    long lastWait = 0;

    for (int step = 0; step < 20_000; step++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          for (int calls = random.nextInt(4); calls >= 0; calls--) {
            lastWait = limiter.tryAcquire();
            if (lastWait == 0) {
              grantTimes.add(clock.millis());
            }
          }
        }
        case 2 -> clock.advanceMillis(lastWait); // honour the last wait exactly
        case 3 -> clock.advanceMillis(random.nextInt(50));
        default -> clock.advanceMillis(random.nextInt(random.nextBoolean() ? 5 : 3000));
      }
    }

    long limit = (long) Math.floor(rate * 1 + burst);
    assertThat(grantTimes).hasSizeGreaterThan(burst); // the sequence did exercise the limiter
    int end = 0;
    for (int start = 0; start < grantTimes.size(); start++) {
      // Closed window [t, t + 1000 ms]: the worst case, it holds a full second of refill.
      long windowEnd = grantTimes.get(start) + 1000;
      while (end < grantTimes.size() && grantTimes.get(end) <= windowEnd) {
        end++;
      }
      assertThat(end - start)
          .as("grants in [%d, %d]", grantTimes.get(start), windowEnd)
          .isLessThanOrEqualTo((int) limit);
    }
  }

  @ParameterizedTest(name = "rate {0}")
  @ValueSource(doubles = {0, -1, 9e-7, 1.000001e9, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsRatesOutsideTheSupportedRange(double rate) {
    assertThatThrownBy(() -> new TokenBucketRateLimiter(rate, 1, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permitsPerSecond");
  }

  @Test
  void rejectsBurstBelowOneAndMissingClock() {
    assertThatThrownBy(() -> new TokenBucketRateLimiter(1, 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst");
    assertThatThrownBy(() -> new TokenBucketRateLimiter(1, 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clock");
  }

  /** Takes every permit available now and says how many. */
  private static int drain(RateLimiter limiter) {
    int granted = 0;
    while (limiter.tryAcquire() == 0) {
      granted++;
    }
    return granted;
  }
}
