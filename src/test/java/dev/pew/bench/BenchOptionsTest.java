package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  private static final Path PROJECT = Path.of("/p");

  @Test
  void defaultsRunTheDefaultMatrixForThirtySecondsThreeTimes() {
    BenchOptions o = BenchOptions.parse(new String[0], PROJECT);
    assertThat(o.points()).isEqualTo(BenchPlan.matrix("default"));
    assertThat(o.seconds()).isEqualTo(30);
    assertThat(o.pacedSeconds()).isEqualTo(10);
    assertThat(o.warmupSeconds()).isEqualTo(30);
    assertThat(o.repeats()).isEqualTo(3);
    assertThat(o.workerJvmOptions()).containsExactly("-Xmx128m", "-XX:+UseSerialGC");
    assertThat(o.jar()).isEqualTo(Path.of("/p/target/password-email-worker.jar"));
    assertThat(o.outputDir()).isEqualTo(Path.of("/p/target/bench"));
    assertThat(o.reportDir()).isEqualTo(o.outputDir());
  }

  @Test
  void defaultMatrixCoversTheIssuesScenarios() {
    List<BenchPoint> points = BenchPlan.matrix("default");
    assertThat(points).contains(BenchPoint.rawKafka(6), BenchPoint.rawKafka(1), BenchPoint.worker(20, 64, 1, 1),
        BenchPoint.worker(20, 64, 6, 2));
    for (int latency : new int[] {0, 20, 100}) {
      for (int inFlight : new int[] {16, 64, 256}) {
        assertThat(points).contains(BenchPoint.worker(latency, inFlight, 6, 1));
      }
    }
    assertThat(BenchPlan.matrix("full")).hasSize(2 + 3 * 3 * 2 * 2);
  }

  @Test
  void quickIsShortUnlessToldOtherwise() {
    BenchOptions quick = BenchOptions.parse(new String[] {"--matrix", "quick"}, PROJECT);
    assertThat(quick.seconds()).isEqualTo(5);
    assertThat(quick.repeats()).isEqualTo(1);
    assertThat(BenchOptions.parse(new String[] {"--matrix", "quick", "--seconds", "9"}, PROJECT).seconds()).isEqualTo(9);
  }

  @Test
  void takesPointsWorkerSettingsAndJvmOptions() {
    BenchOptions o = BenchOptions.parse(new String[] {"--points", "kafka/6,20/64/6/1", "--env", "MAX_BUFFERED=512",
        "--jvm-opts", "-Xmx96m -XX:+UseSerialGC", "--jar", "/tmp/w.jar", "--report-to", "docs"}, PROJECT);
    assertThat(o.points()).containsExactly(BenchPoint.rawKafka(6), BenchPoint.worker(20, 64, 6, 1));
    assertThat(o.matrix()).isEqualTo("custom");
    assertThat(o.workerEnv()).isEqualTo(Map.of("MAX_BUFFERED", "512"));
    assertThat(o.workerJvmOptions()).containsExactly("-Xmx96m", "-XX:+UseSerialGC");
    assertThat(o.jar()).isEqualTo(Path.of("/tmp/w.jar"));
    assertThat(o.reportDir()).isEqualTo(Path.of("/p/docs"));
    assertThat(o.commandLine()).isEqualTo("./bench.sh --points kafka/6,20/64/6/1 --env MAX_BUFFERED=512 --jvm-opts "
        + "\"-Xmx96m -XX:+UseSerialGC\" --jar /tmp/w.jar --report-to docs");
  }

  @Test
  void rejectsUnknownOptionsAndBadValuesByName() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--fast", "1"}, PROJECT)).hasMessageContaining("--fast");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--repeats", "0"}, PROJECT)).hasMessageContaining("--repeats");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--matrix", "huge"}, PROJECT)).hasMessageContaining("huge");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--env", "NOVALUE"}, PROJECT)).hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--seconds"}, PROJECT)).hasMessageContaining("--seconds");
  }

  @Test
  void peersMatrixComparesAtTheIssuesPointsColdAndWarmWithBothPeers() {
    BenchOptions o = BenchOptions.parse(new String[] {"--matrix", "peers"}, PROJECT);
    assertThat(o.points()).isEmpty();
    assertThat(o.comparesPeers()).isTrue();
    assertThat(o.peers()).containsExactly("pc-vertx", "naive");
    assertThat(o.peerJvmOptions()).isEmpty();
    assertThat(o.peersSource()).isEqualTo(Path.of("/shared/peers"));
    assertThat(o.repeats()).isEqualTo(3);
    assertThat(o.peerPoints()).extracting(PeerPoint::label).containsExactly(
        "cold:0/64/6/1:20000", "cold:20/64/6/1:20000", "cold:20/256/6/1:40000", "cold:20/64/6/1:30000",
        "warm:0/64/6/1", "warm:20/64/6/1", "warm:20/256/6/1");
    assertThat(o.describe()).contains("7 comparison points with pc-vertx, naive", "peer JVM options (none: JVM defaults)");
  }

  @Test
  void peersAloneMeansThePeersMatrixWithThosePeers() {
    BenchOptions o = BenchOptions.parse(new String[] {"--peers", "naive", "--peer-jvm-opts", "-Xmx256m",
        "--peers-src", "/elsewhere/peers"}, PROJECT);
    assertThat(o.matrix()).isEqualTo("peers");
    assertThat(o.peers()).containsExactly("naive");
    assertThat(o.peerPoints()).isEqualTo(BenchPlan.peerMatrix("peers"));
    assertThat(o.peerJvmOptions()).containsExactly("-Xmx256m");
    assertThat(o.peersSource()).isEqualTo(Path.of("/elsewhere/peers"));
  }

  @Test
  void pointsMayMixWorkerAndComparisonPoints() {
    BenchOptions o = BenchOptions.parse(new String[] {"--points", "kafka/6,cold:20/64/6/1:5000,20/64/6/1,warm:0/64/6/1",
        "--peers", "pc-vertx,naive,pc-vertx"}, PROJECT);
    assertThat(o.points()).containsExactly(BenchPoint.rawKafka(6), BenchPoint.worker(20, 64, 6, 1));
    assertThat(o.peerPoints()).containsExactly(PeerPoint.cold(BenchPoint.worker(20, 64, 6, 1), 5_000),
        PeerPoint.warm(BenchPoint.worker(0, 64, 6, 1)));
    assertThat(o.peers()).containsExactly("pc-vertx", "naive");
    assertThat(BenchOptions.parse(new String[] {"--points", "cold:20/64/6/1"}, PROJECT).peers())
        .isEqualTo(BenchOptions.DEFAULT_PEERS);
    assertThat(BenchOptions.parse(new String[] {"--points", "20/64/6/1"}, PROJECT).peers()).isEmpty();
  }

  @Test
  void peersQuickIsShortAndWorkerMatricesCompareWithNothing() {
    BenchOptions quick = BenchOptions.parse(new String[] {"--matrix", "peers-quick"}, PROJECT);
    assertThat(quick.repeats()).isEqualTo(1);
    assertThat(quick.seconds()).isEqualTo(5);
    assertThat(quick.peerPoints()).hasSize(2);
    assertThat(BenchOptions.parse(new String[0], PROJECT).comparesPeers()).isFalse();
    assertThat(BenchPlan.peerMatrix("default")).isEmpty();
  }

  @Test
  void rejectsPeersWithoutComparisonPointsAndBadPeerNames() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--points", "20/64/6/1", "--peers", "naive"}, PROJECT))
        .hasMessageContaining("--peers runs at comparison points");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--matrix", "quick", "--peers", "naive"}, PROJECT))
        .hasMessageContaining("--peers runs at comparison points");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--peers", "../x"}, PROJECT)).hasMessageContaining("--peers");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--peers", "worker"}, PROJECT)).hasMessageContaining("--peers");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--points", "cold:kafka/6"}, PROJECT))
        .hasMessageContaining("cold:");
  }

  @Test
  void helpReturnsNull() {
    assertThat(BenchOptions.parse(new String[] {"--help"}, PROJECT)).isNull();
  }
}
