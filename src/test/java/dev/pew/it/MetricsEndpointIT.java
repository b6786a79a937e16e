package dev.pew.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.OpsProbe;
import dev.pew.testing.PrometheusScrape;
import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the worker run as an operator runs it ({@code dev.pew.Main}: Prometheus
 * registry, Vert.x Micrometer metrics, JVM meters) after a backlog with known outcomes: every meter
 * the worker registers is in the scrape, and the counters match what happened.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointIT {

  /**
   * Every series the worker's own meters produce (WorkerMetrics and the gauges WorkerVerticle
   * registers), by their Prometheus names. README documents none of them by name (its "/metrics:
   * Prometheus text (see below)" has nothing below), so this list is the reference.
   */
  static final List<String> WORKER_SERIES = List.of(
      "pew_events_consumed_total",
      "pew_events_skipped_total",
      "pew_results_total",
      "pew_calls_total",
      "pew_retries_total",
      "pew_rate_limit_waits_total",
      "pew_call_duration_seconds_bucket",
      "pew_call_duration_seconds_count",
      "pew_call_duration_seconds_sum",
      "pew_call_duration_seconds_max",
      "pew_commit_duration_seconds_bucket",
      "pew_commit_duration_seconds_count",
      "pew_commit_duration_seconds_sum",
      "pew_commit_duration_seconds_max",
      "pew_commit_failures_total",
      "pew_result_publish_failures_total",
      "pew_events_released_total",
      "pew_handover_drained_total",
      "pew_event_duration_seconds_bucket",
      "pew_event_duration_seconds_count",
      "pew_event_duration_seconds_sum",
      "pew_event_duration_seconds_max",
      "pew_consumer_lag",
      "pew_calls_in_flight",
      "pew_events_unfinished",
      "pew_holding",
      "pew_hold_seconds_total",
      "pew_throttled",
      "pew_intake_paused",
      "pew_result_publish_failing",
      "pew_duplicates_answered_total",
      "pew_sends_recovered_total",
      "pew_ledger_entries",
      "pew_fleet_members",
      "pew_fleet_share",
      "pew_fleet_prober",
      "pew_fleet_degraded",
      "pew_fleet_signals_ignored_total",
      "pew_ledger_restoring_partitions",
      "pew_ledger_restore_duration_seconds_count",
      "pew_ledger_restore_duration_seconds_max",
      "pew_ledger_restore_duration_seconds_sum",
      "pew_ledger_record_duration_seconds_bucket",
      "pew_ledger_record_duration_seconds_count",
      "pew_ledger_record_duration_seconds_max",
      "pew_ledger_record_duration_seconds_sum",
      "pew_dead_letters_dropped_total",
      "pew_ready",
      "pew_throttled_seconds_total",
      "pew_retry_backoff_seconds_total");

  private static final Path DASHBOARD = Path.of("conf/grafana/password-email-worker.json");

  @TempDir
  Path dir;

  @Test
  void exportsEveryWorkerMeterWithValuesMatchingTheRun(Vertx vertx) throws IOException {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        records.add(event(h, "ok" + i + "@example.com"));
      }
      for (int i = 0; i < 3; i++) {
        String email = "gone" + i + "@example.com";
        h.sim.respond(email, 404, -1, null);
        records.add(event(h, email));
      }
      for (int i = 0; i < 2; i++) {
        String email = "flaky" + i + "@example.com";
        h.sim.respond(email, 503, 1, null);
        records.add(event(h, email));
      }
      // A tombstone, so the lazily registered pew_events_skipped_total exists too.
      records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes("deleted@example.com"), null));
      h.kafka.sendAll(records);

      int port = OpsProbe.freePort();
      Map<String, String> env = h.processEnv();
      env.put("HTTP_PORT", Integer.toString(port));
      env.put("MAX_IN_FLIGHT", "8");
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("metrics.log"))) {
        h.awaitResults(45, Duration.ofSeconds(40));
        h.awaitAllCommitted(Duration.ofSeconds(15));
        assertThat(worker.output()).contains("operator endpoints on port " + port);
        OpsProbe ops = new OpsProbe(port);
        // Results are counted when Kafka acknowledges them; the lag gauge is sampled every 5 s.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          PrometheusScrape s = ops.metrics();
          assertThat(s.sum("pew_results_total")).isEqualTo(45);
          assertThat(s.find("pew_consumer_lag")).hasSize(2);
          assertThat(s.sum("pew_consumer_lag")).isZero();
        });
        PrometheusScrape s = ops.metrics();

        Set<String> missing = new TreeSet<>(WORKER_SERIES);
        missing.removeAll(s.names());
        assertThat(missing).as("worker series missing from /metrics").isEmpty();
        Set<String> notOnTheList = new TreeSet<>(s.names());
        notOnTheList.removeIf(n -> !n.startsWith("pew_") || WORKER_SERIES.contains(n));
        assertThat(notOnTheList).as("pew_ series this test does not know (add them to the list and the docs)").isEmpty();
        assertThat(dashboardSeries()).as("every series the Grafana dashboard queries is exported")
            .allSatisfy(n -> assertThat(s.names()).contains(n));

        assertThat(s.value("pew_events_consumed_total")).hasValue(46.0);
        assertThat(s.value("pew_events_skipped_total", "reason", "tombstone")).hasValue(1.0);
        assertThat(s.value("pew_results_total", "status", "SENT", "category", "none")).hasValue(42.0);
        assertThat(s.value("pew_results_total", "status", "FAILED", "category", "NOT_FOUND")).hasValue(3.0);
        assertThat(s.find("pew_results_total")).hasSize(2);
        assertThat(s.value("pew_calls_total", "status", "200")).hasValue(42.0);
        assertThat(s.value("pew_calls_total", "status", "404")).hasValue(3.0);
        assertThat(s.value("pew_calls_total", "status", "503")).hasValue(2.0);
        assertThat(s.find("pew_calls_total")).hasSize(3);
        assertThat(s.value("pew_retries_total", "reason", "retryable")).hasValue(2.0);
        assertThat(s.value("pew_call_duration_seconds_count")).hasValue(47.0);
        assertThat(s.value("pew_call_duration_seconds_bucket", "le", "+Inf")).hasValue(47.0);
        assertThat(s.value("pew_call_duration_seconds_sum").orElseThrow()).isPositive();
        assertThat(s.value("pew_event_duration_seconds_count")).hasValue(45.0);
        assertThat(s.value("pew_commit_duration_seconds_count").orElseThrow()).isPositive();
        assertThat(s.value("pew_calls_in_flight")).hasValue(0.0);
        assertThat(s.value("pew_events_unfinished")).hasValue(0.0);
        assertThat(s.sum("pew_holding")).isZero();
        assertThat(s.value("pew_holding", "reason", "OUTAGE")).hasValue(0.0);
        assertThat(s.value("pew_hold_seconds_total")).hasValue(0.0);
        assertThat(s.value("pew_throttled")).hasValue(0.0);
        assertThat(s.value("pew_throttled_seconds_total")).hasValue(0.0);
        assertThat(s.value("pew_retry_backoff_seconds_total").orElseThrow()).as("two retries after 503, 20-200 ms each")
            .isBetween(0.0, 0.5);
        assertThat(s.value("pew_rate_limit_waits_total")).hasValue(0.0);
        assertThat(s.value("pew_commit_failures_total")).hasValue(0.0);
        assertThat(s.value("pew_result_publish_failures_total")).hasValue(0.0);
        assertThat(s.value("pew_events_released_total")).hasValue(0.0);
        assertThat(s.value("pew_ready")).as("ready after the run").hasValue(1.0);
        assertThat(s.find("pew_consumer_lag", "topic", h.input)).extracting(l -> l.labels().get("partition"))
            .containsExactlyInAnyOrder("0", "1");

        // The defaults Main turns on: JVM meters and Vert.x's own, without the per-request HTTP
        // client meters (pew_call_* count every call for less).
        assertThat(s.names()).contains("jvm_memory_used_bytes");
        assertThat(s.names()).anyMatch(n -> n.startsWith("vertx_pool_"));
        assertThat(s.names()).anyMatch(n -> n.startsWith("vertx_http_server_"));
        assertThat(s.names()).noneMatch(n -> n.startsWith("vertx_http_client_"));

        System.out.println("---- /metrics excerpt ----");
        s.lines("pew_").stream().filter(l -> !l.startsWith("pew_call_duration_seconds_bucket")
            && !l.startsWith("pew_commit_duration_seconds_bucket") && !l.startsWith("pew_event_duration_seconds_bucket"))
            .forEach(System.out::println);
        s.lines("jvm_memory_used_bytes").forEach(System.out::println);
      }
    }
  }

  private static ProducerRecord<byte[], byte[]> event(WorkerHarness h, String email) {
    return new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
        KafkaTestClient.bytes("{\"eventId\":\"" + email + "\",\"email\":\"" + email + "\"}"));
  }

  /** The pew_ series names the dashboard's queries use. */
  private static Set<String> dashboardSeries() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("pew_[a-z_]+").matcher(Files.readString(DASHBOARD));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
