package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small parsers the benchmark reads its figures with. */
class MeasurementParsingTest {

  @Test
  void readsPeakAndLiveHeapFromAGcLog() {
    double[] heap = BenchProcess.heapFromGcLog(List.of(
        "[0.512s][info][gc] Using G1",
        "[1.001s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->5M(128M) 3.456ms",
        "[2.001s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 41M->12M(128M) 2.1ms",
        "[3.001s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Evacuation Pause) 30M->9M(128M) 2.0ms",
        "[4.001s][info][gc] GC(3) Pause Full 512K->256K(1G) 1.0ms"));
    assertThat(heap[0]).isEqualTo(41);
    assertThat(heap[1]).isEqualTo(12);
  }

  @Test
  void gcLogWithoutCollectionsGivesNaN() {
    double[] heap = BenchProcess.heapFromGcLog(List.of("[0.512s][info][gc] Using G1"));
    assertThat(heap[0]).isNaN();
    assertThat(heap[1]).isNaN();
  }

  @Test
  void readsTimestampFieldsOfAResult() {
    String json = "{\"eventId\":\"e\",\"receivedAt\":\"2026-11-27T10:00:00.120Z\",\"completedAt\":\"2026-11-27T10:00:00.310Z\"}";
    assertThat(ResultCollector.instantField(json, "receivedAt"))
        .isEqualTo(Instant.parse("2026-11-27T10:00:00.120Z").toEpochMilli());
    assertThat(ResultCollector.instantField(json, "completedAt") - ResultCollector.instantField(json, "receivedAt"))
        .isEqualTo(190);
    assertThat(ResultCollector.instantField(json, "missing")).isEqualTo(-1);
  }

  @Test
  void steadyWindowLeavesOutTheFirstAndLastTwentiethOfResults() {
    long[] ts = new long[1000];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_000_000 + i; // one result per millisecond
    }
    ts[0] = 0; // a straggler at start-up does not count
    PointRunner.Window w = PointRunner.Window.of(ts);
    assertThat(w.rate()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(5.0));
    assertThat(w.events()).isEqualTo(900);
  }
}
