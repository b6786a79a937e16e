package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pew.testing.KafkaBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison with the peers end to end, tiny: both peers built from {@code ../shared/peers}
 * under {@code target/peers} (once; Maven Central is needed the first time), then one small cold
 * point and one small warm point with the worker and both peers as processes of their own. Checks
 * that every contender ran, had every result and was measured, and that the report, chart and rows
 * are written; never how fast anything is. Skipped where {@code ../shared/peers} is not beside the
 * clone.
 */
class PeerSmokeIT {

  @Test
  void runsTheWorkerAndBothPeersColdAndWarmAndReportsThemSideBySide(@TempDir Path out) throws Exception {
    Path project = Path.of("").toAbsolutePath();
    BenchOptions options = BenchOptions.parse(new String[] {"--points", "cold:20/16/1/1:600,warm:20/16/1/1",
        "--peers", "pc-vertx,naive", "--seconds", "1", "--warmup-seconds", "1", "--paced-seconds", "1", "--repeats", "1",
        "--max-events", "10000", "--out", out.toString()}, project);
    for (String peer : options.peers()) {
      assumeTrue(Files.isRegularFile(options.peersSource().resolve(peer).resolve("pom.xml")),
          "the peers' sources are not at " + options.peersSource());
    }
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    BenchResults results = new Bench(options, KafkaBroker.bootstrapServers(), List.of(ProcessHandle.current()),
        new PrintStream(console, true, StandardCharsets.UTF_8)).run();

    assertThat(results.points()).isEmpty();
    assertThat(results.comparisons()).extracting(PeerSummary::point).extracting(PeerPoint::label)
        .containsExactly("cold:20/16/1/1:600", "warm:20/16/1/1");
    for (PeerSummary s : results.comparisons()) {
      assertThat(s.contenders()).containsExactly(Contender.WORKER, "pc-vertx", "naive");
      assertThat(s.runs()).extracting(PeerRun::contender).containsExactly(Contender.WORKER, "pc-vertx", "naive");
      for (PeerRun run : s.runs()) {
        Measurement m = run.measurement();
        assertThat(m.throughput()).as(run.contender()).isPositive();
        assertThat(m.failed()).as(run.contender()).isZero();
        assertThat(m.duplicates()).as(run.contender()).isZero();
        assertThat(m.cpuSecondsPer1000()).as(run.contender()).isPositive();
        assertThat(m.rssPeakMiB()).as(run.contender()).isPositive();
        assertThat(m.peakInFlight()).as(run.contender()).isBetween(1, 16);
        if (s.point().isCold()) {
          assertThat(m.events()).isEqualTo(600);
          assertThat(run.startupSeconds()).as(run.contender()).isPositive();
        } else {
          assertThat(m.pacedEvents()).as(run.contender()).isPositive();
          assertThat(m.endToEndP50()).as(run.contender()).isGreaterThanOrEqualTo(19.0);
        }
      }
    }
    for (String peer : options.peers()) {
      assertThat(project.resolve("target/peers").resolve(peer).resolve("target/peer.jar")).isRegularFile();
    }

    String report = Files.readString(out.resolve("benchmark-peers.md"));
    assertThat(report).contains("## Side by side with the peers", "| cold, 20 ms / 16 in flight / 1 partitions / 1 instances,",
        "worker / pc-vertx", "worker / naive", "0 failed results, 0 duplicate results");
    String svg = Files.readString(out.resolve("benchmark-peers.svg"));
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(svg).contains("Parallel Consumer + Vert.x");
    assertThat(Files.readAllLines(out.resolve("benchmark-peers-runs.csv"))).hasSize(1 + 6).first()
        .isEqualTo(PeerRows.HEADER);
    assertThat(out.resolve("benchmark-results.md")).doesNotExist();
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("cold:20/16/1/1:600", "pc-vertx", "naive");
  }
}
