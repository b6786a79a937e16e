package dev.pew.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.dispatch.RateLimiter;
import org.junit.jupiter.api.Test;

class JoinGateTest {

  /** Counts the permits it hands out. */
  private static final class Counting implements RateLimiter {
    int granted;

    @Override
    public long tryAcquire() {
      granted++;
      return 0;
    }
  }

  @Test
  void grantsNothingAndTakesNoPermitUntilOpened() {
    Counting inner = new Counting();
    JoinGate gate = new JoinGate(inner);

    assertThat(gate.tryAcquire()).isEqualTo(JoinGate.CLOSED_WAIT_MS);
    assertThat(gate.tryAcquire()).isEqualTo(JoinGate.CLOSED_WAIT_MS);
    assertThat(inner.granted).as("a closed gate spends none of the rate limit").isZero();
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.limiting()).as("its waits are not counted as rate-limit waits").isFalse();
  }

  @Test
  void onceOpenedEveryRequestGoesToTheLimiterUnderneath() {
    Counting inner = new Counting();
    JoinGate gate = new JoinGate(inner);

    gate.open();

    assertThat(gate.tryAcquire()).isZero();
    assertThat(gate.tryAcquire()).isZero();
    assertThat(inner.granted).isEqualTo(2);
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.limiting()).isTrue();
  }

  @Test
  void aLimiterThatSaysWaitIsHeardThroughAnOpenGate() {
    JoinGate gate = new JoinGate(() -> 250);
    gate.open();
    assertThat(gate.tryAcquire()).isEqualTo(250);
  }
}
