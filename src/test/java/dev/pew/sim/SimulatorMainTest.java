package dev.pew.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Command-line parsing of the standalone simulator. */
class SimulatorMainTest {

  @Test
  void defaultsToLoopbackPort8081() {
    SimulatorOptions options = SimulatorMain.parse(new String[0]);

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8081);
  }

  @Test
  void readsEveryArgumentInBothForms() {
    SimulatorOptions options = SimulatorMain.parse(new String[] {
        "--host", "0.0.0.0", "--port=9000", "--latency-ms", "10-50", "--fail-rate", "0.1:503",
        "--token=s3cret", "--seed", "42", "--no-magic-emails"});

    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.minLatency()).isEqualTo(Duration.ofMillis(10));
    assertThat(options.maxLatency()).isEqualTo(Duration.ofMillis(50));
    assertThat(options.failRate()).isEqualTo(0.1);
    assertThat(options.failStatus()).isEqualTo(503);
    assertThat(options.acceptedToken()).isEqualTo("s3cret");
    assertThat(options.seed()).isEqualTo(42);
    assertThat(options.magicEmails()).isFalse();
  }

  @Test
  void readsSingleLatency() {
    SimulatorOptions options = SimulatorMain.parse(new String[] {"--latency-ms", "25"});

    assertThat(options.minLatency()).isEqualTo(Duration.ofMillis(25));
    assertThat(options.maxLatency()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void rejectsBadArgumentsWithAClearMessage() {
    assertRejected("unknown argument --bogus", "--bogus", "1");
    assertRejected("--port needs a value", "--port");
    assertRejected("--port must be an integer", "--port", "http");
    assertRejected("--latency-ms must be MIN or MIN-MAX", "--latency-ms", "50-10");
    assertRejected("--fail-rate must be FRACTION:STATUS", "--fail-rate", "0.1");
    assertRejected("failRate must be within 0..1", "--fail-rate", "3:503");
  }

  @Test
  void neverEchoesTheTokenInErrors() {
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--token", "s3cret", "--port", "-5"}))
        .hasMessageNotContaining("s3cret");
  }

  private static void assertRejected(String message, String... args) {
    assertThatThrownBy(() -> SimulatorMain.parse(args))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
