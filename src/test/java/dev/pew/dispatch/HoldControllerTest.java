package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.dispatch.HoldController.Decision;
import dev.pew.dispatch.HoldController.Reason;
import dev.pew.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldControllerTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final List<String> events = new ArrayList<>();
  private final HoldController.Listener listener = new HoldController.Listener() {
    @Override
    public void holdStarted(Reason reason, String cause) {
      events.add("start " + reason);
    }

    @Override
    public void holdReasonChanged(Reason reason, String cause) {
      events.add("change " + reason);
    }

    @Override
    public void holdEnded(Reason reason, long heldMillis) {
      events.add("end " + reason + " " + heldMillis);
    }
  };
  /** Fixed probe backoff: 1 s, 2 s, 4 s ... so waits are predictable. */
  private final Backoff doubling = retry -> 1000L << Math.min(retry - 1, 10);

  private HoldController controller(int holdAfter) {
    return new HoldController(holdAfter, doubling, clock, listener);
  }

  @Test
  void retriesWhileFailuresAreFewerThanTheThreshold() {
    HoldController hold = controller(3);
    assertThat(hold.retryableFailure("a", false, "503")).isEqualTo(Decision.RETRY);
    assertThat(hold.retryableFailure("b", false, "503")).isEqualTo(Decision.RETRY);
    assertThat(hold.holding()).isFalse();
  }

  @Test
  void holdsForAnOutageWhenConsecutiveFailuresSpanSeveralEvents() {
    HoldController hold = controller(3);
    hold.retryableFailure("a", false, "503");
    hold.retryableFailure("b", false, "503");
    assertThat(hold.retryableFailure("c", false, "503")).isEqualTo(Decision.REFUND);
    assertThat(hold.holding()).isTrue();
    assertThat(hold.reason()).isEqualTo(Reason.OUTAGE);
    assertThat(events).containsExactly("start OUTAGE");
  }

  @Test
  void oneEventFailingAloneNeverHoldsTheWorkerAndIsExhausted() {
    HoldController hold = controller(3);
    for (int i = 0; i < 10; i++) {
      assertThat(hold.retryableFailure("poison", false, "503")).isEqualTo(Decision.RETRY);
    }
    assertThat(hold.retryableFailure("poison", true, "503")).isEqualTo(Decision.EXHAUSTED);
    assertThat(hold.holding()).isFalse();
  }

  @Test
  void anAnswerInBetweenBreaksTheRun() {
    HoldController hold = controller(3);
    hold.retryableFailure("a", false, "503");
    hold.retryableFailure("b", false, "503");
    hold.apiAnswered();
    assertThat(hold.retryableFailure("c", false, "503")).isEqualTo(Decision.RETRY);
    assertThat(hold.holding()).isFalse();
  }

  @Test
  void holdsInsteadOfExhaustingAnEventWhenOthersFailToo() {
    HoldController hold = controller(10);
    hold.retryableFailure("a", false, "503");
    assertThat(hold.retryableFailure("b", true, "503")).isEqualTo(Decision.REFUND);
    assertThat(hold.holding()).isTrue();
  }

  @Test
  void refundsEveryFailureWhileHolding() {
    HoldController hold = controller(2);
    hold.retryableFailure("a", false, "503");
    hold.retryableFailure("b", false, "503");
    for (int i = 0; i < 5; i++) {
      assertThat(hold.retryableFailure("x" + i, true, "503")).isEqualTo(Decision.REFUND);
    }
  }

  @Test
  void neverHoldsForOutagesWhenTheThresholdIsZero() {
    HoldController hold = controller(0);
    for (int i = 0; i < 20; i++) {
      hold.retryableFailure("e" + i, false, "503");
    }
    assertThat(hold.holding()).isFalse();
    assertThat(hold.retryableFailure("z", true, "503")).isEqualTo(Decision.EXHAUSTED);
  }

  @Test
  void probesOnAGrowingBackoffAndResumesOnTheFirstAnswer() {
    HoldController hold = controller(2);
    hold.retryableFailure("a", false, "503");
    hold.retryableFailure("b", false, "503");
    assertThat(hold.probeWaitMillis()).isEqualTo(1000);
    clock.advanceMillis(999);
    assertThat(hold.probeWaitMillis()).isEqualTo(1);
    clock.advanceMillis(1);
    assertThat(hold.probeWaitMillis()).isZero();

    hold.probeStarted();
    assertThat(hold.probeInFlight()).isTrue();
    assertThat(hold.retryableFailure("a", false, "503")).isEqualTo(Decision.REFUND);
    hold.probeEnded();
    assertThat(hold.probeWaitMillis()).isEqualTo(2000); // the second probe waits longer than the first

    clock.advanceMillis(2000);
    hold.probeStarted();
    hold.apiAnswered();
    hold.probeEnded();
    assertThat(hold.holding()).isFalse();
    assertThat(events).containsExactly("start OUTAGE", "end OUTAGE 3000");
    assertThat(hold.heldMillis()).isEqualTo(3000);
  }

  @Test
  void holdsForARefusedCredentialAndProbesAtOnceWhenItIsRotated() {
    HoldController hold = controller(5);
    hold.credentialRefused("401");
    assertThat(hold.reason()).isEqualTo(Reason.CREDENTIALS);
    hold.credentialRefused("401"); // logged once
    assertThat(events).containsExactly("start CREDENTIALS");
    assertThat(hold.probeWaitMillis()).isEqualTo(1000);
    hold.probeNow();
    assertThat(hold.probeWaitMillis()).isZero();
  }

  @Test
  void anOutageHoldTurnsIntoACredentialHoldWhenAProbeIsRefused() {
    HoldController hold = controller(2);
    hold.retryableFailure("a", false, "503");
    hold.retryableFailure("b", false, "503");
    hold.credentialRefused("403");
    assertThat(hold.reason()).isEqualTo(Reason.CREDENTIALS);
    assertThat(events).containsExactly("start OUTAGE", "change CREDENTIALS");
  }

  @Test
  void countsTimeHeldAcrossHolds() {
    HoldController hold = controller(5);
    hold.credentialRefused("401");
    clock.advanceMillis(300);
    hold.apiAnswered();
    clock.advanceMillis(1000);
    hold.credentialRefused("401");
    clock.advanceMillis(200);
    assertThat(hold.heldMillis()).isEqualTo(500);
  }
}
