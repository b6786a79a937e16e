package dev.pew.dispatch;

import dev.pew.intake.WorkItem;
import dev.pew.testing.TestLease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KeySequencerTest {

  private long offset;

  private WorkItem item(String key) {
    byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    InboundRecord r = new InboundRecord("in", 0, offset++, k, new byte[0], new RecordHeaders(), 0);
    return new WorkItem(r, new ParsedEvent.Valid(new OnboardingEvent("e" + offset, "a@x.io", null)), TestLease.permanent(),
        Instant.EPOCH);
  }

  @Test
  void admitsOneItemPerKeyAndTheNextInReadOrderWhenItIsDone() {
    KeySequencer seq = new KeySequencer();
    WorkItem a1 = item("a");
    WorkItem a2 = item("a");
    WorkItem a3 = item("a");
    WorkItem b1 = item("b");
    assertThat(seq.admit(a1)).isTrue();
    assertThat(seq.admit(a2)).isFalse();
    assertThat(seq.admit(a3)).isFalse();
    assertThat(seq.admit(b1)).isTrue();
    assertThat(seq.done(a1)).isSameAs(a2);
    assertThat(seq.done(a2)).isSameAs(a3);
    assertThat(seq.done(a3)).isNull();
    assertThat(seq.admit(item("a"))).isTrue();
  }

  @Test
  void neverHoldsBackItemsWithoutAKey() {
    KeySequencer seq = new KeySequencer();
    assertThat(seq.admit(item(null))).isTrue();
    assertThat(seq.admit(item(null))).isTrue();
  }

  @Test
  void aReleasedWaitingItemDoesNotLetTheNextOneOvertakeTheAdmittedOne() {
    KeySequencer seq = new KeySequencer();
    WorkItem a1 = item("a");
    WorkItem a2 = item("a");
    WorkItem a3 = item("a");
    seq.admit(a1);
    seq.admit(a2);
    seq.admit(a3);
    assertThat(seq.removeWaiting(i -> i == a2)).containsExactly(a2);
    assertThat(seq.done(a2)).as("a2 was never admitted").isNull();
    assertThat(seq.done(a1)).isSameAs(a3);
  }
}
