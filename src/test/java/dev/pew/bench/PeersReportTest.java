package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class PeersReportTest {

  private static final List<String> CONTENDERS = List.of(Contender.WORKER, "pc-vertx", "naive");
  private static final PeerPoint COLD = PeerPoint.cold(BenchPoint.worker(20, 64, 6, 1), 20_000);
  private static final PeerPoint WARM = PeerPoint.warm(BenchPoint.worker(20, 64, 6, 1));

  private static PeerRun run(String contender, int repeat, double rate, double cpu, double rss, boolean cold) {
    double nan = Double.NaN;
    Measurement m = new Measurement(20_000, rate, 20.3, 25, 20.5, 64, cpu, 0.2, 60, 30, rss, cold ? nan : rate / 2,
        cold ? 0 : 500, nan, nan, nan, nan, cold ? nan : 5, cold ? nan : 30, nan, nan, nan, nan, nan, nan, 0, 0);
    return cold ? new PeerRun(contender, repeat, m, 1.5, rate * 1.1, cpu * 0.8) : PeerRun.warm(contender, repeat, m);
  }

  /** Three rounds at one point: the worker 2,000 / 2,100 / 2,200, pc-vertx 2,500 / 2,000 / 2,200, naive 1,000 each. */
  private static PeerSummary summary(PeerPoint point) {
    boolean cold = point.isCold();
    List<PeerRun> runs = new ArrayList<>();
    double[] worker = {2_000, 2_100, 2_200};
    double[] pc = {2_500, 2_000, 2_200};
    for (int r = 1; r <= 3; r++) {
      runs.add(run(Contender.WORKER, r, worker[r - 1], 0.5, 200, cold));
      runs.add(run("pc-vertx", r, pc[r - 1], 0.4, 400, cold));
      runs.add(run("naive", r, 1_000, 1.0, 800, cold));
    }
    return new PeerSummary(point, CONTENDERS, runs);
  }

  private static BenchResults results(List<PointSummary> points, PeerSummary... comparisons) {
    BenchOptions options = BenchOptions.parse(new String[] {"--matrix", "peers"}, Path.of("/p"));
    ZonedDateTime t = ZonedDateTime.parse("2026-12-01T14:00:00Z");
    return new BenchResults(options, t, t.plusMinutes(40), points, List.of(comparisons));
  }

  @Test
  void ratiosPairTheRunsOfTheSameRound() {
    PeerSummary s = summary(COLD);
    // 2000/2500, 2100/2000, 2200/2200: paired by repeat, not median over median
    var ratio = s.ratio(Contender.WORKER, "pc-vertx", PeerRun::throughput);
    assertThat(ratio.count()).isEqualTo(3);
    assertThat(ratio.min()).isCloseTo(0.8, within(1e-9));
    assertThat(ratio.median()).isCloseTo(1.0, within(1e-9));
    assertThat(ratio.max()).isCloseTo(1.05, within(1e-9));
    assertThat(s.ratio(Contender.WORKER, "naive", PeerRun::rssPeakMiB).median()).isCloseTo(0.25, within(1e-9));
    assertThat(s.peers()).containsExactly("pc-vertx", "naive");
  }

  @Test
  void aRoundAPeerDidNotRunHasNoRatio() {
    List<PeerRun> runs = List.of(run(Contender.WORKER, 1, 2_000, 0.5, 200, true), run(Contender.WORKER, 2, 2_000, 0.5,
        200, true), run("naive", 2, 1_000, 1, 800, true));
    PeerSummary s = new PeerSummary(COLD, List.of(Contender.WORKER, "naive"), runs);
    assertThat(s.ratio(Contender.WORKER, "naive", PeerRun::throughput).count()).isEqualTo(1);
    assertThat(PeersReport.ratio(s, "naive", PeerRun::throughput)).isEqualTo("2.00");
  }

  @Test
  void rendersSideBySideRowsAndRatiosWithRanges() {
    String md = BenchReport.render(results(List.of(), summary(COLD), summary(WARM)), List.of("Machine: test box"));
    assertThat(md).contains("# Benchmark results: password-email-worker beside its peers", "## Side by side with the peers",
        "- Machine: test box", "`./bench.sh --matrix peers`", "worker pc-vertx naive");
    assertThat(md).doesNotContain("## Targets", "## Raw Kafka ceiling");
    // the worker at the cold point: median 2,100 of 2,000-2,200, 66 % of 3,200; steady 2,310; CPU 0.5; first result 1.5 s
    assertThat(md).contains("| cold, 20 ms / 64 in flight, 20,000 events | password-email-worker | 2,100 (2,000-2,200) "
        + "| 66 % | 2,310 | 0.500 (0.500-0.500) | 0.400 | 200 | 60 | 1.5 | - | 0 / 0 |");
    assertThat(md).contains("| warm, 20 ms / 64 in flight | Parallel Consumer + Vert.x | 2,200 (2,000-2,500) | 69 % ",
        "| 5.0 / 30.0 |");
    assertThat(md).contains("| cold, 20 ms / 64 in flight, 20,000 events | worker / pc-vertx | 1.00 (0.80-1.05) "
        + "| 1.25 (1.25-1.25) | 0.50 (0.50-0.50) |");
    assertThat(md).contains("| warm, 20 ms / 64 in flight | worker / naive | 2.10 (2.00-2.20) | 0.50 (0.50-0.50) "
        + "| 0.25 (0.25-0.25) |");
    assertThat(md).contains("0 failed results, 0 duplicate results");
  }

  @Test
  void aComparisonAloneGoesToItsOwnFileAndAMixedRunToTheUsualOne() {
    assertThat(BenchReport.fileName(results(List.of(), summary(COLD)))).isEqualTo("benchmark-peers.md");
    PointSummary worker = new PointSummary(BenchPoint.worker(20, 64, 6, 1),
        List.of(BenchReportTest.run(2_900, 40, 210, 30)));
    BenchResults mixed = results(List.of(worker), summary(COLD));
    assertThat(BenchReport.fileName(mixed)).isEqualTo("benchmark-results.md");
    assertThat(BenchReport.render(mixed, List.of())).contains("## Targets", "## Side by side with the peers");
  }

  @Test
  void peersChartIsWellFormedSvgWithABarPerContenderAndPointAndTheBounds() throws Exception {
    String svg = ThroughputChart.renderPeers(results(List.of(), summary(COLD), summary(WARM),
        summary(PeerPoint.warm(BenchPoint.worker(0, 64, 6, 1)))));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    NodeList rects = doc.getElementsByTagName("rect");
    int bars = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      String fill = rects.item(i).getAttributes().getNamedItem("fill").getNodeValue();
      bars += fill.startsWith("#") && !fill.equals("#ffffff") ? 1 : 0;
    }
    assertThat(bars).isEqualTo(3 * 3 + 3); // a bar per contender and point, and three legend swatches
    // Little's bound at 20 ms for the two 20 ms groups and the legend, none at 0 ms
    assertThat(svg.split("stroke-dasharray=\"6,4\"", -1).length - 1).isEqualTo(3);
    assertThat(svg).contains("password-email-worker", "Parallel Consumer + Vert.x", "naive", "cold", "warm",
        "20,000 events", "0 ms / 64");
  }

  @Test
  void niceCeilingIsOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(ThroughputChart.niceCeiling(3_456)).isEqualTo(5_000);
    assertThat(ThroughputChart.niceCeiling(12_000)).isEqualTo(20_000);
    assertThat(ThroughputChart.niceCeiling(1_000)).isEqualTo(1_000);
  }
}
