package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.PrometheusScrape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The summary's account of where the time went, from the worker's time meters. */
class LocalRunSummaryTest {

  private static final String SCRAPE = String.join("\n",
      "# HELP pew_throttled_seconds_total Time no call started because a 429's Retry-After paused them all",
      "# TYPE pew_throttled_seconds_total counter",
      "pew_throttled_seconds_total 3.0",
      "pew_hold_seconds_total 1.0",
      "pew_retry_backoff_seconds_total 16.5",
      "pew_retries_total{reason=\"retryable\"} 18.0",
      "pew_retries_total{reason=\"throttled\"} 3.0",
      "pew_call_duration_seconds_count 3000.0",
      "pew_call_duration_seconds_sum 300.0",
      "");

  @Test
  void saysHowLongCallsWereThrottledHeldAndWaitingAndTheThroughputWhileAllowed() {
    Optional<TimeAccount> time = TimeAccount.from(PrometheusScrape.parse(SCRAPE), Optional.of(Duration.ofSeconds(6)),
        Duration.ofSeconds(12));
    String text = render(summary(time, 10_000));

    assertThat(text).contains("  time throttled       3.00 s: no call started while a 429's Retry-After lasted (pew_throttled_seconds_total)")
        .contains("  time held            1.00 s: ")
        .contains("  retry backoff        16.50 s waited by events for 18 retries")
        .contains("  allowed to call      6.00 s of the 10.00 s (not throttled, not held): 500.0 events/s over them")
        .contains("  Little's bound       640 events/s = MAX_IN_FLIGHT 64 / mean call 100 ms as the worker timed them"
            + " (1280 events/s at the simulator's 50 ms)")
        .contains("  calls in flight      30.0 on average over the 10.00 s; the worker used 0.50 cores")
        .contains("  throughput           300.0 events/s");
    assertThat(text.indexOf("time throttled")).as("right after the throughput").isGreaterThan(text.indexOf("throughput "));
  }

  @Test
  void leavesTheLinesOutWhenTheWorkerHasNoTimeMeters() {
    assertThat(TimeAccount.from(PrometheusScrape.parse("pew_hold_seconds_total 0.0\n"), Optional.empty(), Duration.ZERO)).isEmpty();
    String text = render(summary(Optional.empty(), 10_000));
    assertThat(text).contains("throughput").doesNotContain("time throttled").doesNotContain("allowed to call");
  }

  @Test
  void theAllowedTimeNeverDropsToZero() {
    TimeAccount t = new TimeAccount(8, 4, 0, 0, 0, 0, Optional.empty(), Duration.ZERO);
    assertThat(t.allowedSeconds(10)).isEqualTo(0.001);
    assertThat(t.littleBound(64)).isZero();
    assertThat(t.workerCores()).isEmpty();
    assertThat(render(summary(Optional.of(t), 10_000))).contains("Little's bound       no calls");
  }

  private static LocalRunSummary summary(Optional<TimeAccount> time, long windowMs) {
    Instant first = Instant.parse("2026-11-27T10:00:00Z");
    ResultTally.Counts counts = new ResultTally.Counts(3000, 3000, 3000, 0, Map.of("SENT", 3000), 0, 0, 0, 0, 0, 0,
        new long[] {10, 20, 30}, first, first.plusMillis(windowMs), 0, 0);
    return new LocalRunSummary(3000, 0, 64, counts, 3000, 3000, 64, Map.of(200, 3000L),
        new WorkerProbe.Answer(200, "{}"), List.of(), time, Duration.ofMillis(50),
        new WorkerJarProcess.StopResult(true, true, 0, Duration.ofMillis(400)), false, "target/local-run/worker.log",
        Duration.ofSeconds(20));
  }

  private static String render(LocalRunSummary s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.render(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
