package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchPointTest {

  @Test
  void parsesWhatItsLabelWrites() {
    BenchPoint p = BenchPoint.parse("20/64/6/2");
    assertThat(p).isEqualTo(BenchPoint.worker(20, 64, 6, 2));
    assertThat(BenchPoint.parse(p.label())).isEqualTo(p);
    assertThat(BenchPoint.parse("kafka/1")).isEqualTo(BenchPoint.rawKafka(1));
    assertThat(BenchPoint.rawKafka(6).label()).isEqualTo("kafka/6");
  }

  @Test
  void littleBoundIsInstancesTimesInFlightOverLatency() {
    assertThat(BenchPoint.worker(20, 64, 6, 1).littleBound()).isEqualTo(3200);
    assertThat(BenchPoint.worker(100, 16, 6, 2).littleBound()).isEqualTo(320);
    assertThat(BenchPoint.worker(20, 64, 6, 1).littleBound(25)).isEqualTo(2560);
  }

  @Test
  void hasNoLittleBoundWithoutLatencyOrCalls() {
    assertThat(BenchPoint.worker(0, 64, 6, 1).littleBound()).isInfinite();
    assertThat(BenchPoint.rawKafka(6).littleBound()).isInfinite();
  }

  @Test
  void rejectsMalformedSpecsWithTheSyntaxInTheMessage() {
    assertThatThrownBy(() -> BenchPoint.parse("20/64/6")).hasMessageContaining("latencyMs/maxInFlight/partitions/instances");
    assertThatThrownBy(() -> BenchPoint.parse("x/64/6/1")).hasMessageContaining("'x/64/6/1'");
    assertThatThrownBy(() -> BenchPoint.parse("20/0/6/1")).hasMessageContaining("bad benchmark point");
  }
}
