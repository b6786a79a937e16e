package dev.pew.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pew.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The fleet's share arithmetic and member expiry, with an injected clock. */
class SharesTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final Shares shares = new Shares("b", 3000, 1200, 1000, clock);

  private double settle(int ownDemand) {
    shares.next(ownDemand, false);
    clock.advance(Duration.ofMillis(1300));
    return shares.next(ownDemand, false);
  }

  @Test
  void aShareFollowsDemandAndAnIdleMemberHoldsNone() {
    shares.heard("a", 30, null);
    shares.heard("c", 10, null);

    assertThat(settle(20)).isCloseTo(20.0 / 60, within(1e-9));
    assertThat(shares.next(0, false)).as("idle: its share goes at once").isZero();
  }

  /**
   * Two members whose queues keep filling (after a rebalance, say), each hearing the other's demand
   * one heartbeat late: weighed as they came, each would rate its own demand of now against the
   * other's older and smaller one, and the two shares added up to 1.12 (34 calls in a second of a
   * 30/s group limit). Above one second of the group's calls both are simply busy.
   */
  @Test
  void busyMembersWhoseQueuesKeepGrowingGetEqualPartsThatNeverAddUpToMoreThanTheWhole() {
    Shares x = new Shares("x", 3000, 1200, 30, clock);
    Shares y = new Shares("y", 3000, 1200, 30, clock);
    int lastX = 0;
    int lastY = 0;
    double most = 0;
    for (int beat = 0; beat < 20; beat++) {
      int dx = 40 + 25 * beat;
      int dy = 35 + 20 * beat;
      x.heard("y", lastY, null);
      y.heard("x", lastX, null);
      most = Math.max(most, x.next(dx, false) + y.next(dy, false));
      lastX = dx;
      lastY = dy;
      clock.advance(Duration.ofMillis(500));
    }
    assertThat(most).as("the most the two shares added up to").isLessThanOrEqualTo(1 + 1e-9);
    assertThat(x.applied()).isCloseTo(0.5, within(1e-9));
    assertThat(y.applied()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void belowBusyAShareStillFollowsDemand() {
    Shares x = new Shares("x", 3000, 1200, 30, clock);
    x.heard("y", 20, null);
    x.next(10, false);
    clock.advance(Duration.ofMillis(1300));
    assertThat(x.next(10, false)).isCloseTo(10.0 / 30, within(1e-9));
    x.heard("y", 500, null);
    assertThat(x.next(10, false)).as("y counts as 30").isCloseTo(10.0 / 40, within(1e-9));
  }

  @Test
  void whenEveryoneIsIdleThePartsAreEqual() {
    shares.heard("a", 0, null);
    shares.heard("c", 0, null);

    assertThat(settle(0)).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void aShareShrinksAtOnceButGrowsOnlyAfterTheDelaySoTheSumNeverPassesOne() {
    shares.heard("a", 10, null);
    assertThat(settle(10)).isCloseTo(0.5, within(1e-9));

    shares.heard("a", 30, null);
    assertThat(shares.next(10, false)).as("shrinks at once").isCloseTo(0.25, within(1e-9));
    shares.heard("a", 0, null);
    assertThat(shares.next(10, false)).as("would grow: waits").isCloseTo(0.25, within(1e-9));
    clock.advance(Duration.ofMillis(1100));
    assertThat(shares.next(10, false)).isCloseTo(0.25, within(1e-9));
    clock.advance(Duration.ofMillis(200));
    assertThat(shares.next(10, false)).isEqualTo(1.0);
  }

  @Test
  void aMemberNotHeardFromForTheExpiryIsGoneAndItsShareReturns() {
    shares.heard("a", 10, null);
    assertThat(settle(10)).isCloseTo(0.5, within(1e-9));

    clock.advance(Duration.ofMillis(3100)); // a crashed: no heartbeat
    shares.expire(false);
    assertThat(shares.members()).isEqualTo(1);
    assertThat(settle(10)).isEqualTo(1.0);
  }

  @Test
  void aMemberThatLeftIsGoneAtOnce() {
    shares.heard("a", 10, null);
    shares.left("a");
    assertThat(shares.members()).isEqualTo(1);
  }

  @Test
  void withTheChannelLostMembersAreKeptAndThePartIsEqualForTheLastKnownMembership() {
    shares.heard("a", 100, null);
    shares.heard("c", 100, null);
    shares.expire(false);
    settle(1);

    clock.advance(Duration.ofSeconds(30));
    shares.expire(true);
    assertThat(shares.members()).as("silence says nothing while the channel is lost").isEqualTo(3);
    shares.next(1, true);
    clock.advance(Duration.ofMillis(1300));
    assertThat(shares.next(1, true)).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void theProberIsTheLowestHoldingMemberWithWork() {
    shares.heard("a", 0, "OUTAGE"); // holds, but has nothing to call
    shares.heard("c", 5, "OUTAGE");
    shares.heard("d", 5, null);

    assertThat(shares.prober(true, 3)).contains("b");
    assertThat(shares.prober(true, 0)).contains("c");
    assertThat(shares.prober(false, 3)).contains("c");
    shares.heard("c", 5, null);
    assertThat(shares.prober(false, 3)).isEmpty();
  }
}
