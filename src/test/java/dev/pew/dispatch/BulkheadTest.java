package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BulkheadTest {

  @Test
  void grantsUpToMaxThenRefuses() {
    var bulkhead = new Bulkhead(3);

    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isFalse();
    assertThat(bulkhead.inUse()).isEqualTo(3);
    assertThat(bulkhead.available()).isZero();
    assertThat(bulkhead.max()).isEqualTo(3);
  }

  @Test
  void refusalTakesNothing() {
    var bulkhead = new Bulkhead(1);
    bulkhead.tryAcquire();

    for (int i = 0; i < 5; i++) {
      assertThat(bulkhead.tryAcquire()).isFalse();
    }
    bulkhead.release();

    assertThat(bulkhead.inUse()).isZero();
    assertThat(bulkhead.tryAcquire()).isTrue();
  }

  @Test
  void releaseFreesAPermitForTheNextCall() {
    var bulkhead = new Bulkhead(2);
    bulkhead.tryAcquire();
    bulkhead.tryAcquire();

    bulkhead.release();

    assertThat(bulkhead.inUse()).isEqualTo(1);
    assertThat(bulkhead.available()).isEqualTo(1);
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isFalse();
  }

  @Test
  void releaseWithoutAHeldPermitThrows() {
    var bulkhead = new Bulkhead(2);

    assertThatThrownBy(bulkhead::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a held permit");
    assertThat(bulkhead.inUse()).isZero();
    assertThat(bulkhead.available()).isEqualTo(2);
  }

  @Test
  void releasingTwiceForOnePermitThrowsAndDoesNotRaiseTheLimit() {
    var bulkhead = new Bulkhead(1);
    bulkhead.tryAcquire();
    bulkhead.release();

    assertThatThrownBy(bulkhead::release).isInstanceOf(IllegalStateException.class);
    assertThat(bulkhead.tryAcquire()).isTrue();
    assertThat(bulkhead.tryAcquire()).isFalse();
  }

  @Test
  void peakRemembersTheHighestInUse() {
    var bulkhead = new Bulkhead(5);
    assertThat(bulkhead.peak()).isZero();

    bulkhead.tryAcquire();
    bulkhead.tryAcquire();
    bulkhead.tryAcquire();
    bulkhead.release();
    bulkhead.release();
    bulkhead.tryAcquire();

    assertThat(bulkhead.inUse()).isEqualTo(2);
    assertThat(bulkhead.peak()).isEqualTo(3);
  }

  @Test
  void peakNeverExceedsMax() {
    var bulkhead = new Bulkhead(2);
    for (int i = 0; i < 10; i++) {
      bulkhead.tryAcquire();
    }

    assertThat(bulkhead.peak()).isEqualTo(2);
  }

  @Test
  void rejectsMaxBelowOne() {
    assertThatThrownBy(() -> new Bulkhead(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max must be >= 1");
    assertThatThrownBy(() -> new Bulkhead(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
