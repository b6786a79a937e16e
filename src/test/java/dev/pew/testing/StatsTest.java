package dev.pew.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesAreObservedValuesByNearestRank() {
    Stats s = Stats.of(5, 1, 4, 2, 3, 6, 7, 8, 9, 10);
    assertThat(s.percentile(50)).isEqualTo(5);
    assertThat(s.percentile(99)).isEqualTo(10);
    assertThat(s.percentile(10)).isEqualTo(1);
    assertThat(s.percentile(100)).isEqualTo(10);
  }

  @Test
  void readsWholeNumbersAsTheLocalRunRecordsThem() {
    Stats p = Stats.of(new long[] {50, 10, 40, 20, 30, 100, 60, 70, 80, 90});
    assertThat(p.percentile(50)).isEqualTo(50);
    assertThat(p.percentile(95)).isEqualTo(100);
    assertThat(p.percentile(10)).isEqualTo(10);
    assertThat(p.max()).isEqualTo(100);
    assertThat(Stats.of(new long[0]).isEmpty()).isTrue();
  }

  @Test
  void medianAveragesTheTwoMiddleValuesOfAnEvenCount() {
    assertThat(Stats.of(3, 1, 2).median()).isEqualTo(2);
    assertThat(Stats.of(4, 1, 2, 3).median()).isEqualTo(2.5);
  }

  @Test
  void spreadIsTheRangeAsAFractionOfTheMedian() {
    assertThat(Stats.of(90, 100, 110).relativeSpread()).isEqualTo(0.2);
    assertThat(Stats.of(100).relativeSpread()).isZero();
  }

  @Test
  void emptySampleGivesNaN() {
    Stats s = Stats.of();
    assertThat(s.median()).isNaN();
    assertThat(s.percentile(99)).isNaN();
    assertThat(s.mean()).isNaN();
  }

  @Test
  void rejectsPercentilesOutsideZeroToHundred() {
    assertThatThrownBy(() -> Stats.of(1).percentile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Stats.of(1).percentile(101)).isInstanceOf(IllegalArgumentException.class);
  }
}
