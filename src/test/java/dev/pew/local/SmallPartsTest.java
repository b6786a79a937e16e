package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line and the worker's environment. */
class SmallPartsTest {

  @Test
  void progressLineShowsTheRateSinceThePreviousLine() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    ProgressLine line = new ProgressLine(now::get, 1000);
    now.addAndGet(2_000_000_000L);
    String first = line.next(new ResultTally.Progress(400, 390, 10, 600, 10));
    now.addAndGet(1_000_000_000L);
    String second = line.next(new ResultTally.Progress(1000, 980, 20, 0, 20));
    assertThat(first).contains("[   2.0 s]").contains("results 400/1000").contains(" 40%").contains("200.0 events/s");
    assertThat(second).contains("[   3.0 s]").contains("results 1000/1000").contains("100%").contains("600.0 events/s")
        .contains("(sent 980, failed 20)");
  }

  @Test
  void workerEnvironmentDropsInheritedWorkerSettingsAndKeepsTheRest() {
    Map<String, String> inherited = new HashMap<>();
    inherited.put("PATH", "/usr/bin");
    inherited.put("HOME", "/root");
    inherited.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    inherited.put("XC_API_TOKEN_FILE", "/secrets/token");
    inherited.put("CONFIG_FILE", "/etc/pew.json");
    inherited.put("RATE_LIMIT_PER_SECOND", "5");
    WorkerEnvironment env = WorkerEnvironment.forLocalRun("127.0.0.1:9092", LocalTopics.defaults(),
        "http://127.0.0.1:1/send_password_email", "secret", 64, 8123, 10_000);

    Map<String, String> applied = env.applyTo(inherited);

    assertThat(applied).containsEntry("PATH", "/usr/bin").containsEntry("HOME", "/root")
        .doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "XC_API_TOKEN_FILE", "CONFIG_FILE", "RATE_LIMIT_PER_SECOND")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
        .containsEntry("TOPIC_INPUT", "onboarding-events")
        .containsEntry("TOPIC_DEAD_LETTER", "password-email-dead-letter")
        .containsEntry("XC_API_TOKEN", "secret")
        .containsEntry("MAX_IN_FLIGHT", "64")
        .containsEntry("HTTP_PORT", "8123")
        .containsEntry("STATUS_INTERVAL_MS", "5000");
  }
}
