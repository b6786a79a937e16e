package dev.pew.intake.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollTimeoutsTest {

  private static final Duration BUSY = Duration.ofMillis(50);
  private static final Duration IDLE = Duration.ofMillis(500);
  private final PollTimeouts timeouts = new PollTimeouts(BUSY, IDLE);

  @Test
  void aStartingIntakeNeverWaitsTheIdleLengthBeforeItsFirstAssignment() {
    // The poll that joins the group runs the assignment callback: an idle-length one would keep the
    // new partitions' records back for the rest of its 500 ms after their restore ended.
    assertThat(timeouts.next(false, 0, false, true)).isEqualTo(BUSY);
  }

  @Test
  void partitionsWaitingForTheirRestoreArePolledShortSoTheirRecordsComeAsSoonAsItEnds() {
    assertThat(timeouts.next(false, 6, true, true)).isEqualTo(PollTimeouts.WAITING);
    assertThat(timeouts.next(false, 1, true, false)).isEqualTo(PollTimeouts.WAITING);
  }

  @Test
  void aPausedIntakeIsPolledShortSoItResumesPromptly() {
    assertThat(timeouts.next(true, 0, true, false)).isEqualTo(PollTimeouts.WAITING);
  }

  @Test
  void aJoinedIntakeWithNothingUnfinishedOrUncommittedWaitsTheIdleLength() {
    assertThat(timeouts.next(false, 0, true, true)).isEqualTo(IDLE);
  }

  @Test
  void aJoinedIntakeWithWorkLeftWaitsTheBusyLengthWhichBoundsHowLateACommitIs() {
    assertThat(timeouts.next(false, 0, true, false)).isEqualTo(BUSY);
  }
}
