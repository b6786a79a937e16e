package dev.pew.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GroupRateLimiterTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));

  private int grantedOver(GroupRateLimiter l, Duration span) {
    int granted = 0;
    for (long ms = 0; ms < span.toMillis(); ms++) {
      while (l.tryAcquire() == 0) {
        granted++;
      }
      clock.advance(Duration.ofMillis(1));
    }
    return granted;
  }

  @Test
  void withoutAShareNothingIsGranted() {
    GroupRateLimiter l = new GroupRateLimiter(30, 3, clock);
    assertThat(l.tryAcquire()).isEqualTo(GroupRateLimiter.NO_SHARE_WAIT_MS);
    assertThat(grantedOver(l, Duration.ofSeconds(2))).isZero();
  }

  @Test
  void aShareGetsThatPartOfTheGroupsRate() {
    GroupRateLimiter l = new GroupRateLimiter(30, 3, clock);
    l.share(1.0 / 3);
    assertThat(grantedOver(l, Duration.ofSeconds(10))).isBetween(100, 101);
  }

  @Test
  void changingTheShareNeverGrantsAFreshBurst() {
    GroupRateLimiter l = new GroupRateLimiter(30, 3, clock);
    l.share(1);
    int first = grantedOver(l, Duration.ofMillis(1));
    assertThat(first).as("the group's burst").isEqualTo(3);
    l.share(0.5);
    l.share(1);
    assertThat(grantedOver(l, Duration.ofMillis(1))).as("no new burst after a change").isZero();
  }

  @Test
  void threeMembersWithSharesSummingToOneStayWithinTheGroupsRatePlusBurstInEverySecond() {
    GroupRateLimiter a = new GroupRateLimiter(30, 3, clock);
    GroupRateLimiter b = new GroupRateLimiter(30, 3, clock);
    GroupRateLimiter c = new GroupRateLimiter(30, 3, clock);
    a.share(0.5);
    b.share(0.3);
    c.share(0.2);
    int total = 0;
    for (long ms = 0; ms < 1000; ms++) {
      for (GroupRateLimiter l : new GroupRateLimiter[] {a, b, c}) {
        while (l.tryAcquire() == 0) {
          total++;
        }
      }
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(total).isLessThanOrEqualTo(30 + 3);
  }

  @Test
  void twoHalvesOfABurstOfThreeAddUpToNoMoreThanTheGroupsBurst() {
    GroupRateLimiter a = new GroupRateLimiter(30, 3, clock);
    GroupRateLimiter b = new GroupRateLimiter(30, 3, clock);
    a.share(0.5);
    b.share(0.5);
    int total = 0;
    for (long ms = 0; ms < 1000; ms++) {
      for (GroupRateLimiter l : new GroupRateLimiter[] {a, b}) {
        while (l.tryAcquire() == 0) {
          total++;
        }
      }
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(total).as("1.5 each rounded up would be 2 + 2 = 4 at once").isLessThanOrEqualTo(30 + 3);
  }
}
