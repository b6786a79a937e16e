package dev.pew.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.pew.testing.LogCapture;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

class AccessRefusalsTest {

  @Test
  void theBackoffDoublesWithEachRefusalInARowUpToTenSeconds() {
    assertThat(AccessRefusals.waitMs(1)).isEqualTo(400);
    assertThat(AccessRefusals.waitMs(2)).isEqualTo(800);
    assertThat(AccessRefusals.waitMs(5)).isEqualTo(6_400);
    assertThat(AccessRefusals.waitMs(6)).isEqualTo(10_000);
    assertThat(AccessRefusals.waitMs(40)).isEqualTo(10_000);
  }

  @Test
  void logsTheFirstRefusalOnceAndTheRecoveryOnceAndDoesNotWaitWhenStopping() throws InterruptedException {
    AccessRefusals refusals = new AccessRefusals();
    try (LogCapture log = LogCapture.of(AccessRefusals.class)) {
      refusals.accepted();
      refusals.refused(new SaslAuthenticationException("bad credentials"), () -> true);
      refusals.refused(new SaslAuthenticationException("bad credentials"), () -> true);
      refusals.accepted();
      refusals.accepted();

      assertThat(log.messages(Level.INFO)).filteredOn(m -> m.contains("Kafka refused the worker")).hasSize(1);
      assertThat(log.messages(Level.INFO)).filteredOn(m -> m.contains("accepts the worker's credentials again after 2 refusals")).hasSize(1);
    }
  }
}
