package dev.pew.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults, copying and validation of the start options. */
class SimulatorOptionsTest {

  @Test
  void defaultsToPlainHttpOnEphemeralLoopbackPortWithMagicEmails() {
    SimulatorOptions options = new SimulatorOptions().validate();

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isZero();
    assertThat(options.minLatency()).isZero();
    assertThat(options.maxLatency()).isZero();
    assertThat(options.keyStoreP12()).isNull();
    assertThat(options.acceptedToken()).isNull();
    assertThat(options.magicEmails()).isTrue();
    assertThat(options.seed()).isEqualTo(SimulatorOptions.DEFAULT_SEED);
  }

  @Test
  void copiesEveryValue() {
    SimulatorOptions original = new SimulatorOptions().host("0.0.0.0").port(8081)
        .latency(Duration.ofMillis(1), Duration.ofMillis(2)).acceptedToken("t").magicEmails(false).seed(7)
        .failRate(0.5).failStatus(500).callHistoryLimit(10);

    SimulatorOptions copy = new SimulatorOptions(original);
    original.port(1).acceptedToken(null);

    assertThat(copy.port()).isEqualTo(8081);
    assertThat(copy.acceptedToken()).isEqualTo("t");
    assertThat(copy.toString()).isEqualTo(new SimulatorOptions(copy).toString()).doesNotContain("=t,");
  }

  @Test
  void rejectsInvalidValuesNamingTheOption() {
    assertInvalid(new SimulatorOptions().port(70000), "port");
    assertInvalid(new SimulatorOptions().host(" "), "host");
    assertInvalid(new SimulatorOptions().latency(Duration.ofMillis(5), Duration.ofMillis(1)), "maxLatency");
    assertInvalid(new SimulatorOptions().minLatency(Duration.ofMillis(-1)), "minLatency");
    assertInvalid(new SimulatorOptions().keyStoreP12(Path.of("/nonexistent.p12")).keyStorePassword("x"), "keyStoreP12");
    assertInvalid(new SimulatorOptions().trustStoreP12(Path.of("/nonexistent.p12")), "trustStoreP12");
    assertInvalid(new SimulatorOptions().acceptedToken(""), "acceptedToken");
    assertInvalid(new SimulatorOptions().failRate(1.5), "failRate");
    assertInvalid(new SimulatorOptions().failStatus(100), "failStatus");
    assertInvalid(new SimulatorOptions().callHistoryLimit(0), "callHistoryLimit");
  }

  private static void assertInvalid(SimulatorOptions options, String option) {
    assertThatThrownBy(options::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(option);
  }
}
