package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quick start's core, end to end: embedded broker, simulator, the real worker jar as its own
 * process, 200 sample events. Needs {@code target/password-email-worker.jar} (skipped without it).
 */
class LocalRunIT {

  private static final String EMAIL = "[A-Za-z0-9._%+-]{2,}@example\\.(com|org|net)";

  @Test
  @Timeout(90)
  void accountsForEveryEventAndStopsTheWorkerCleanly() throws Exception {
    Path project = Path.of("").toAbsolutePath();
    LocalRunOptions options = LocalRunOptions.defaults(project)
        .withEvents(200)
        .withTimeout(Duration.ofSeconds(30))
        .withOutputDir(project.resolve("target").resolve("local-run-it"));
    Assumptions.assumeTrue(Files.isRegularFile(options.jar()),
        "needs " + options.jar() + ": build it first with mvn -DskipTests package");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    LocalRunSummary summary = LocalRun.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.println(text); // kept in target/surefire-reports for a look after a failure
    assertThat(summary.counts().redeliveries()).as("the sample includes upstream redeliveries: " + text).isPositive();
    assertThat(summary.produced()).as(text).isEqualTo(200 + summary.counts().redeliveries());
    assertThat(summary.expectedResults() + summary.tombstones()).as(text).isEqualTo(200);
    assertThat(summary.counts().answeredWithoutCall()).as("every redelivery answered without a call: " + text)
        .isEqualTo(summary.counts().redeliveries());
    assertThat(summary.missing()).as(text).isZero();
    assertThat(summary.duplicates()).as(text).isZero();
    assertThat(summary.unexpectedOutcomes()).as(text).isZero();
    int oneResultPerDelivery = summary.expectedResults() + summary.counts().redeliveries();
    assertThat(summary.sent() + summary.failed()).as(text).isEqualTo(oneResultPerDelivery);
    assertThat(summary.results()).as(text).isEqualTo(oneResultPerDelivery);
    assertThat(summary.deadLetters()).as(text).isEqualTo(summary.failed());
    assertThat(summary.apiCalls()).as(text).isEqualTo(summary.expectedCalls());
    assertThat(summary.peakConcurrentCalls()).as(text).isBetween(1, options.maxInFlight());
    assertThat(summary.ready().status()).as(text).isEqualTo(200);
    assertThat(summary.metricLines()).as(text).anyMatch(l -> l.startsWith("pew_results_total"));
    assertThat(summary.workerExitCode()).as(text).isZero();
    assertThat(summary.ok()).as(text).isTrue();
    assertThat(text).contains("RESULT: OK").doesNotContainPattern(EMAIL).doesNotContainPattern("local-[0-9a-f]{32}");
    assertThat(Files.readString(options.outputDir().resolve("worker.log")))
        .doesNotContainPattern(EMAIL).doesNotContainPattern("local-[0-9a-f]{32}");
  }
}
