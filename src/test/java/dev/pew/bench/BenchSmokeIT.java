package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark end to end, tiny: the raw Kafka pipe and one worker point on the shared broker,
 * with the real worker jar as its own process. Checks that it measures and reports, not how fast
 * anything is (figures are for docs/benchmarks.md, never for assertions).
 */
class BenchSmokeIT {

  @Test
  void measuresTheCeilingAndAWorkerPointAndWritesTableChartAndRows(@TempDir Path out) throws Exception {
    BenchOptions options = BenchOptions.parse(new String[] {"--points", "kafka/1,20/16/1/1", "--seconds", "2",
        "--warmup-seconds", "1", "--paced-seconds", "1", "--repeats", "1", "--max-events", "20000", "--out",
        out.toString()}, Path.of("").toAbsolutePath());
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    BenchResults results = new Bench(options, KafkaBroker.bootstrapServers(), List.of(ProcessHandle.current()),
        new PrintStream(console, true, StandardCharsets.UTF_8)).run();

    assertThat(results.points()).extracting(PointSummary::point)
        .containsExactly(BenchPoint.rawKafka(1), BenchPoint.worker(20, 16, 1, 1));
    Measurement ceiling = results.points().get(0).runs().get(0);
    Measurement worker = results.points().get(1).runs().get(0);
    assertThat(ceiling.throughput()).isPositive();
    assertThat(worker.throughput()).isPositive();
    assertThat(worker.failed()).isZero();
    assertThat(worker.duplicates()).isZero();
    assertThat(worker.peakInFlight()).isBetween(2, 16);
    assertThat(worker.cpuSecondsPer1000()).isPositive();
    assertThat(worker.rssPeakMiB()).isPositive();
    assertThat(worker.callP50()).isGreaterThanOrEqualTo(19.0); // the simulator's latency, as it measured it
    assertThat(worker.endToEndP50()).isGreaterThanOrEqualTo(worker.callP50() - 1);
    assertThat(worker.pacedEvents()).isPositive();

    String report = Files.readString(out.resolve("benchmark-results.md"));
    assertThat(report).contains("## Targets", "| 20 | 16 | 1 | 1 |", "| 1 |", "0 failed results, 0 duplicate results");
    assertThat(Files.readString(out.resolve("benchmark-throughput.svg"))).startsWith("<svg").contains("polyline");
    assertThat(Files.readAllLines(out.resolve("benchmark-runs.csv"))).hasSize(3).first().isEqualTo(RawRows.HEADER);
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("kafka/1", "20/16/1/1");
  }
}
