package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerPointTest {

  @Test
  void parsesColdAndWarmPointsAndWritesWhatItReads() {
    PeerPoint cold = PeerPoint.parse("cold:20/64/6/1:30000");
    assertThat(cold).isEqualTo(PeerPoint.cold(BenchPoint.worker(20, 64, 6, 1), 30_000));
    assertThat(cold.isCold()).isTrue();
    assertThat(PeerPoint.parse(cold.label())).isEqualTo(cold);
    PeerPoint warm = PeerPoint.parse(" warm:0/256/6/1 ");
    assertThat(warm).isEqualTo(PeerPoint.warm(BenchPoint.worker(0, 256, 6, 1)));
    assertThat(warm.events()).isZero();
    assertThat(PeerPoint.parse(warm.label())).isEqualTo(warm);
  }

  @Test
  void coldBacklogDefaultsToTwentyThousandAndFortyThousandFrom256InFlight() {
    assertThat(PeerPoint.parse("cold:20/64/6/1").events()).isEqualTo(20_000);
    assertThat(PeerPoint.parse("cold:20/256/6/1").events()).isEqualTo(40_000);
    assertThat(PeerPoint.cold(BenchPoint.worker(0, 16, 6, 1)).events()).isEqualTo(20_000);
  }

  @Test
  void tellsComparisonSpecsFromWorkerPoints() {
    assertThat(PeerPoint.isSpec("cold:20/64/6/1")).isTrue();
    assertThat(PeerPoint.isSpec("warm:20/64/6/1")).isTrue();
    assertThat(PeerPoint.isSpec("20/64/6/1")).isFalse();
    assertThat(PeerPoint.isSpec("kafka/6")).isFalse();
  }

  @Test
  void rejectsWhatIsNotAComparisonPointWithTheSyntaxInTheMessage() {
    for (String bad : List.of("cold:kafka/6", "warm:20/64/6/1:5000", "cold:20/64/6", "hot:20/64/6/1", "cold:20/64/6/1:x",
        "cold:20/64/6/1:1:2")) {
      assertThatThrownBy(() -> PeerPoint.parse(bad)).as(bad).hasMessageContaining("cold:latencyMs/maxInFlight");
    }
    assertThatThrownBy(() -> PeerPoint.parse("cold:20/64/6/1:0")).hasMessageContaining("at least one event");
  }

  @Test
  void describesItselfForTables() {
    assertThat(PeerPoint.parse("cold:20/64/6/1:30000").describe()).isEqualTo("cold, 20 ms / 64 in flight, 30,000 events");
    assertThat(PeerPoint.parse("warm:0/64/1/2").describe()).isEqualTo("warm, 0 ms / 64 in flight / 1 partitions / 2 instances");
  }
}
