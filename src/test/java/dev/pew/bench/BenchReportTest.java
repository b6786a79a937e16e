package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class BenchReportTest {

  static Measurement run(double throughput, double heapPeak, double rss, double addedP99) {
    return new Measurement(10_000, throughput, 20.5, 30, 21, 64, 0.3, 0.3, heapPeak, heapPeak / 2, rss, throughput / 2,
        500, 20.4, 25, 30, 60, 8, addedP99, 4, 30, 22, 40, 0, 10, 0, 0);
  }

  static BenchResults results(PointSummary... points) {
    BenchOptions options = BenchOptions.parse(new String[0], Path.of("/p"));
    ZonedDateTime t = ZonedDateTime.parse("2026-11-27T14:00:00Z");
    return new BenchResults(options, t, t.plusMinutes(30), List.of(points));
  }

  private static PointSummary point(BenchPoint p, Measurement... runs) {
    return new PointSummary(p, List.of(runs));
  }

  @Test
  void judgesEachTargetOnTheMedianOrTheWorstRun() {
    BenchResults r = results(
        point(BenchPoint.rawKafka(6), run(50_000, Double.NaN, 200, 10)),
        point(BenchPoint.worker(20, 64, 6, 1), run(2_900, 40, 210, 30), run(2_950, 45, 220, 35), run(2_000, 50, 230, 40)),
        point(BenchPoint.worker(0, 256, 6, 1), run(15_000, 100, 310, 60)));
    List<BenchReport.Target> t = BenchReport.targets(r);
    assertThat(t.get(0).met()).isTrue(); // median 2,900 = 91 % of 3,200
    assertThat(t.get(0).measured()).contains("2,900/s", "91 %");
    assertThat(t.get(1).met()).isFalse(); // 15,000 = 30 % of 50,000
    assertThat(t.get(1).measured()).contains("30 %");
    assertThat(t.get(2).met()).isTrue(); // heap 100 < 128
    assertThat(t.get(3).met()).isFalse(); // RSS 310
    assertThat(t.get(3).measured()).contains("310", "0/256/6/1");
    assertThat(t.get(4).met()).isFalse(); // added p99 60 ms
  }

  @Test
  void saysNotMeasuredForTargetsWithoutTheirPoint() {
    List<BenchReport.Target> t = BenchReport.targets(results(point(BenchPoint.worker(100, 16, 6, 1), run(150, 30, 200, 5))));
    assertThat(t.get(0).verdict()).isEqualTo("not measured");
    assertThat(t.get(1).verdict()).isEqualTo("not measured");
    assertThat(t.get(2).verdict()).isEqualTo("met");
  }

  @Test
  void rendersMachineCommandAndOneRowPerPoint() {
    BenchResults r = results(point(BenchPoint.rawKafka(6), run(50_000, Double.NaN, 200, 10)),
        point(BenchPoint.worker(20, 64, 6, 1), run(2_900, 40, 210, 30)));
    String md = BenchReport.render(r, List.of("Machine: test box"));
    assertThat(md).contains("- Machine: test box", "`./bench.sh`", "| 20 | 64 | 6 | 1 | 2,900 |", "| 6 | 50,000 |",
        "3,200", "91 %", "0 failed results, 0 duplicate results");
  }

  @Test
  void chartIsWellFormedSvgWithMeasuredLinesBoundsAndTheCeiling() throws Exception {
    BenchResults r = results(point(BenchPoint.rawKafka(6), run(50_000, Double.NaN, 200, 10)),
        point(BenchPoint.worker(20, 16, 6, 1), run(700, 40, 210, 30), run(760, 40, 210, 30)),
        point(BenchPoint.worker(20, 64, 6, 1), run(2_900, 40, 210, 30)),
        point(BenchPoint.worker(0, 16, 6, 1), run(5_000, 40, 210, 30)),
        point(BenchPoint.worker(0, 64, 6, 1), run(9_000, 40, 210, 30)));
    String svg = ThroughputChart.render(r);
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // one measured line per latency, one dashed bound for 20 ms (0 ms has none)
    assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(3);
    assertThat(svg).contains("raw Kafka ceiling 50,000/s", "measured, API latency 20 ms", "bound in flight / 20 ms");
    assertThat(svg).doesNotContain("bound in flight / 0 ms");
  }
}
