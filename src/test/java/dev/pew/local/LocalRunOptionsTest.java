package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalRunOptionsTest {

  private static final Path PROJECT = Path.of("/p");

  @Test
  void defaultsToThreeThousandEventsAtSixtyFourInFlight() {
    LocalRunOptions o = LocalRunOptions.parse(new String[0], PROJECT);
    assertThat(o.events()).isEqualTo(3000);
    assertThat(o.maxInFlight()).isEqualTo(64);
    assertThat(o.minLatency()).isEqualTo(Duration.ofMillis(20));
    assertThat(o.maxLatency()).isEqualTo(Duration.ofMillis(80));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(o.jar()).isEqualTo(Path.of("/p/target/password-email-worker.jar"));
    assertThat(o.outputDir()).isEqualTo(Path.of("/p/target/local-run"));
  }

  @Test
  void readsOptionsWithSpaceOrEquals() {
    LocalRunOptions o = LocalRunOptions.parse(
        new String[] {"--events", "500", "--max-in-flight=8", "--latency-ms", "5-9", "--timeout-s=30", "--seed", "7"}, PROJECT);
    assertThat(o.events()).isEqualTo(500);
    assertThat(o.maxInFlight()).isEqualTo(8);
    assertThat(o.minLatency()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.maxLatency()).isEqualTo(Duration.ofMillis(9));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.seed()).isEqualTo(7);
  }

  @Test
  void takesOneLatencyNumberAsAFixedLatency() {
    LocalRunOptions o = LocalRunOptions.parse(new String[] {"--latency-ms", "0"}, PROJECT);
    assertThat(o.minLatency()).isZero();
    assertThat(o.maxLatency()).isZero();
  }

  @Test
  void returnsNullForHelp() {
    assertThat(LocalRunOptions.parse(new String[] {"--help"}, PROJECT)).isNull();
  }

  @Test
  void namesTheOptionThatIsWrong() {
    assertThatThrownBy(() -> LocalRunOptions.parse(new String[] {"--events", "ten"}, PROJECT))
        .hasMessage("--events must be a whole number, got 'ten'");
    assertThatThrownBy(() -> LocalRunOptions.parse(new String[] {"--events", "5"}, PROJECT))
        .hasMessageStartingWith("--events must be 20..");
    assertThatThrownBy(() -> LocalRunOptions.parse(new String[] {"--latency-ms", "80-20"}, PROJECT))
        .hasMessageStartingWith("--latency-ms needs 0 <= MIN <= MAX");
    assertThatThrownBy(() -> LocalRunOptions.parse(new String[] {"--max-in-flight"}, PROJECT))
        .hasMessage("--max-in-flight needs a value");
    assertThatThrownBy(() -> LocalRunOptions.parse(new String[] {"--events", "30", "--fast", "1"}, PROJECT))
        .hasMessage("unknown option '--fast'");
  }
}
