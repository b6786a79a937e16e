package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules (conf/prometheus/alerts.yml) and their unit tests (alerts.test.yml): promtool
 * checks them and runs the tests when it is on the PATH (skipped otherwise, failed under
 * PEW_REQUIRE_TOOLS=1, as in CI), and a tampered rule is shown to fail those tests. Without promtool,
 * the rule file is still read as YAML for what on-call relies on: a {@code for:}, a severity, a
 * summary, a description naming a README section that exists, every alert tested firing and not
 * firing, and only the worker's metric names.
 */
class AlertRulesTest {

  private static final Path PROJECT = ComposeFileTest.PROJECT;
  private static final Path RULES = PROJECT.resolve("conf/prometheus/alerts.yml");
  private static final Path RULE_TESTS = PROJECT.resolve("conf/prometheus/alerts.test.yml");
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /**
   * The worker's Prometheus names, in base units (the contract's naming; histograms add _bucket,
   * _sum, _count). A rule naming anything else would never fire.
   */
  static final Set<String> WORKER_METRICS = Set.of(
      "pew_events_consumed_total", "pew_events_skipped_total", "pew_results_total", "pew_calls_total",
      "pew_retries_total", "pew_rate_limit_waits_total", "pew_commit_failures_total",
      "pew_result_publish_failures_total", "pew_events_released_total", "pew_hold_seconds_total",
      "pew_duplicates_answered_total", "pew_handover_drained_total",
      "pew_call_duration_seconds", "pew_event_duration_seconds", "pew_commit_duration_seconds",
      "pew_consumer_lag", "pew_calls_in_flight", "pew_events_unfinished", "pew_holding", "pew_throttled",
      "pew_intake_paused", "pew_result_publish_failing", "pew_fleet_members", "pew_fleet_share",
      "pew_fleet_degraded", "pew_ready");
  /** Series Prometheus makes itself for every target. */
  private static final Set<String> SCRAPE_METRICS = Set.of("up");
  private static final Set<String> SEVERITIES = Set.of("warning", "critical");
  private static final Pattern METRIC_NAME = Pattern.compile("\\b(pew_[a-z0-9_]+|up)\\b(?!\\s*\\()");
  private static final Pattern README_ANCHOR = Pattern.compile("README\\.md#([a-z0-9_-]+)");

  // ---------------------------------------------------------------- promtool

  @Test
  void promtoolAcceptsTheRules() {
    Path promtool = ExternalTool.require("promtool", "the alerting rules check");

    ExternalTool.Result result = ExternalTool.run(RULES.getParent(), 60, List.of(promtool.toString(), "check", "rules", "alerts.yml"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void promtoolUnitTestsPass() {
    Path promtool = ExternalTool.require("promtool", "the alerting rules' unit tests");

    ExternalTool.Result result = ExternalTool.run(RULES.getParent(), 120, List.of(promtool.toString(), "test", "rules", "alerts.test.yml"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void theUnitTestsCatchARuleThatFiresTooLate(@TempDir Path dir) throws IOException {
    Path promtool = ExternalTool.require("promtool", "the alerting rules' unit tests");
    String rules = Files.readString(RULES);
    String credentials = "pew_holding{reason=\"CREDENTIALS\"}) == 1\n        for: 5m";
    assertThat(rules).containsOnlyOnce(credentials);
    Files.writeString(dir.resolve("alerts.yml"), rules.replace(credentials, credentials.replace("5m", "15m")));
    Files.copy(RULE_TESTS, dir.resolve("alerts.test.yml"));

    ExternalTool.Result result = ExternalTool.run(dir, 120, List.of(promtool.toString(), "test", "rules", "alerts.test.yml"));

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("FAILED").contains("PewHoldingOnCredentials");
  }

  // ---------------------------------------------------------------- the rule file as data

  @Test
  void everyRuleIsAnAlertOnCallCanActOn() throws IOException {
    Set<String> readmeAnchors = Markdown.anchors(Files.readString(PROJECT.resolve("README.md")));
    List<String> problems = new ArrayList<>();
    JsonNode groups = YAML.readTree(RULES.toFile()).path("groups");
    assertThat(groups.size()).as("rule groups").isEqualTo(1);

    for (JsonNode rule : groups.get(0).path("rules")) {
      String name = rule.path("alert").asText("");
      if (name.isEmpty()) {
        problems.add("a rule that is not an alert: " + rule);
        continue;
      }
      if (!rule.hasNonNull("for")) {
        problems.add(name + ": no for: (a single bad scrape would page)");
      }
      if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
        problems.add(name + ": severity label must be one of " + SEVERITIES);
      }
      String description = rule.path("annotations").path("description").asText("");
      if (rule.path("annotations").path("summary").asText("").isBlank() || description.isBlank()) {
        problems.add(name + ": needs summary and description annotations");
      }
      Matcher anchor = README_ANCHOR.matcher(description);
      if (!anchor.find()) {
        problems.add(name + ": the description must point at a README section (README.md#section)");
      }
      anchor.reset();
      while (anchor.find()) {
        if (!readmeAnchors.contains(anchor.group(1))) {
          problems.add(name + ": README.md has no section #" + anchor.group(1));
        }
      }
      for (String metric : metricNames(rule.path("expr").asText())) {
        if (!WORKER_METRICS.contains(metric) && !SCRAPE_METRICS.contains(metric)) {
          problems.add(name + ": " + metric + " is not a metric of the worker");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    Set<String> alerts = new TreeSet<>();
    YAML.readTree(RULES.toFile()).path("groups").get(0).path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
    JsonNode tests = YAML.readTree(RULE_TESTS.toFile());
    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode group : tests.path("tests")) {
      for (JsonNode test : group.path("alert_rule_test")) {
        (test.path("exp_alerts").isEmpty() ? silent : firing).add(test.path("alertname").asText());
      }
    }

    assertThat(tests.path("rule_files").get(0).asText()).isEqualTo("alerts.yml");
    assertThat(firing).as("alerts tested firing").isEqualTo(alerts);
    assertThat(silent).as("alerts tested not firing").isEqualTo(alerts);
  }

  @Test
  void metricNamesAreReadFromExpressions() {
    assertThat(metricNames("sum by (job) (rate(pew_results_total{status=\"FAILED\"}[5m])) > 0 and on (job) up == 0"))
        .containsExactly("pew_results_total", "up");
    assertThat(metricNames("histogram_quantile(0.9, rate(pew_call_duration_seconds_bucket[5m]))"))
        .containsExactly("pew_call_duration_seconds");
  }

  /** The series names an expression selects, histogram suffixes removed. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC_NAME.matcher(expr.replaceAll("\\{[^}]*}", ""));
    while (m.find()) {
      String name = m.group(1);
      String base = name.replaceFirst("_(bucket|sum|count)$", "");
      names.add(WORKER_METRICS.contains(base) ? base : name);
    }
    return names;
  }
}
