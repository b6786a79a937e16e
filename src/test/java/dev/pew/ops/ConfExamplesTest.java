package dev.pew.ops;

import dev.pew.config.ConfigLoader;
import static dev.pew.config.Settings.*;
import dev.pew.config.TestConfig;
import dev.pew.kafka.KafkaClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pew.config.ConfigException;
import dev.pew.config.OnAuthFailure;
import dev.pew.config.WorkerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Checks the operator files under conf/: the tenant example configuration (keys, and a full
 * validation once its placeholders are filled in), conf/logback.xml (same appenders as the built-in
 * one, chosen by LOG_FORMAT, quiet start-up) and the Grafana dashboard (valid JSON whose queries name
 * only metrics the worker really exports).
 */
class ConfExamplesTest {

  private static final Path PROJECT = ComposeFileTest.PROJECT;
  private static final Path TENANT_EXAMPLE = PROJECT.resolve("conf/config.example-tenant.json");
  private static final Path LOGBACK = PROJECT.resolve("conf/logback.xml");
  private static final Path BUILT_IN_LOGBACK = PROJECT.resolve("src/main/resources/logback.xml");
  private static final Path DASHBOARD = PROJECT.resolve("conf/grafana/password-email-worker.json");
  /** Settings that name a file the loader insists exists. */
  private static final List<String> FILE_KEYS = List.of("XC_API_TOKEN_FILE", "XC_CLIENT_P12", "XC_CA_FILE");

  /** The config file's syntax, as the worker reads it. */
  private static final JsonMapper CONFIG_JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Plain JSON, as Grafana reads it. */
  private static final JsonMapper STRICT_JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  // ---------------------------------------------------------------- conf/config.example-tenant.json

  @Test
  void tenantExampleParsesAndHasOnlyKnownKeys() throws IOException {
    ObjectNode example = configFile(Files.readString(TENANT_EXAMPLE));

    assertThat(keyProblems(example)).isEmpty();
    assertThat(fieldNames(example)).contains("XC_ENDPOINT_URL", "XC_API_TOKEN_FILE", "XC_CLIENT_P12",
        "XC_CLIENT_P12_PASSWORD", "RATE_LIMIT_PER_SECOND", "MAX_IN_FLIGHT", "ON_AUTH_FAILURE", "TOPIC_DEAD_LETTER",
        "kafka.common");
  }

  @Test
  void keyCheckRejectsUnknownSettingsAndKafkaProperties() {
    ObjectNode typos = configFile("""
        { "MAX_INFLIGHT": 32, "_comment": "ignored", "kafka.common": {"sasl.mechanisms": "PLAIN", "_note": "ignored"} }
        """);

    assertThat(keyProblems(typos)).containsExactly(
        "MAX_INFLIGHT: not a config-file key", "kafka.common.sasl.mechanisms: not a Kafka client property");
  }

  @Test
  void tenantExampleIsValidOnceItsPlaceholdersAreFilledIn(@TempDir Path dir) throws IOException {
    ObjectNode example = configFile(Files.readString(TENANT_EXAMPLE).replace("<tenant>", "acme"));
    stubFiles(example, dir);

    WorkerConfig config = load(dir, STRICT_JSON.writeValueAsString(example));

    assertThat(config.get(XC_ENDPOINT_URL).getScheme()).isEqualTo("https");
    assertThat(config.get(XC_ENDPOINT_URL).getHost()).isEqualTo("acme.console.ves.volterra.io");
    assertThat(config.get(XC_ENDPOINT_URL).getPath()).endsWith("/no_auth/send_password_email");
    assertThat(config.get(XC_API_TOKEN_FILE)).isPresent();
    assertThat(config.get(XC_API_TOKEN)).isEmpty();
    assertThat(config.get(XC_CLIENT_P12)).isEmpty();
    assertThat(config.get(RATE_LIMIT_PER_SECOND)).isEqualTo(20.0);
    assertThat(config.get(MAX_IN_FLIGHT)).isEqualTo(32);
    assertThat(config.get(ON_AUTH_FAILURE)).isEqualTo(OnAuthFailure.HOLD);
    assertThat(config.get(TOPIC_DEAD_LETTER)).isPresent();
    assertThat(TestConfig.section(config, KafkaClients.Section.COMMON))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsKey("sasl.jaas.config");
  }

  @Test
  void tenantExampleRefusesToStartUnedited(@TempDir Path dir) throws IOException {
    ObjectNode example = configFile(Files.readString(TENANT_EXAMPLE));
    stubFiles(example, dir);
    String json = STRICT_JSON.writeValueAsString(example);

    assertThatThrownBy(() -> load(dir, json))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("XC_ENDPOINT_URL"));
  }

  /** Loads {@code json} as the config file, with no environment at all. */
  private static WorkerConfig load(Path dir, String json) throws IOException {
    Path file = Files.writeString(dir.resolve("example.json"), json);
    return ConfigLoader.load(List.of("--conf", file.toString()), Map.of()).config();
  }

  /** Every top-level key a config-file key, every Kafka property a real client property. */
  private static List<String> keyProblems(ObjectNode config) {
    List<String> problems = new ArrayList<>();
    for (String key : fieldNames(config)) {
      ComposeFileTest.KnownKeys.fileKeyProblem(key).ifPresent(problems::add);
      if (key.startsWith("kafka.") && config.get(key).isObject()) {
        for (String property : fieldNames((ObjectNode) config.get(key))) {
          boolean known = ComposeFileTest.KnownKeys.CONSUMER.contains(property)
              || ComposeFileTest.KnownKeys.PRODUCER.contains(property);
          if (!property.startsWith("_") && !known) {
            problems.add(key + "." + property + ": not a Kafka client property");
          }
        }
      }
    }
    return problems;
  }

  /** File-valued settings point at secrets mounted in production: point them at empty files here. */
  private static void stubFiles(ObjectNode config, Path dir) throws IOException {
    for (String key : FILE_KEYS) {
      JsonNode value = config.get(key);
      if (value != null && value.isTextual()) {
        Path stub = Files.createFile(dir.resolve(key.toLowerCase()));
        config.put(key, stub.toString());
      }
    }
  }

  private static ObjectNode configFile(String text) {
    try {
      JsonNode root = CONFIG_JSON.readTree(text);
      assertThat(root).as("config file root").isInstanceOf(ObjectNode.class);
      return (ObjectNode) root;
    } catch (IOException e) {
      throw new AssertionError("not JSON with comments: " + e.getMessage(), e);
    }
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  // ---------------------------------------------------------------- conf/logback.xml

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void logbackConfigSelectsTheAppenderNamedByLogFormatAndStartsQuietly(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    try {
      // Main sets the system property; a context property is looked up first and leaves the JVM alone.
      context.putProperty("pew.log.format", format);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LOGBACK.toFile());

      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getAppender(format)).isNotNull();
      assertThat(root.getAppender(format.equals("text") ? "json" : "text")).isNull();
      // Any warning makes logback print its whole status at start-up.
      assertThat(new StatusUtil(context).getHighestLevel(0)).isLessThan(Status.WARN);
    } finally {
      context.stop();
    }
  }

  @Test
  void logbackConfigHasTheBuiltInAppenders() throws Exception {
    assertThat(appenders(LOGBACK)).isEqualTo(appenders(BUILT_IN_LOGBACK)).containsKeys("text", "json");
  }

  /** Appender name to its class, encoder class and pattern. */
  private static Map<String, String> appenders(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element root = factory.newDocumentBuilder()
        .parse(new InputSource(new StringReader(Files.readString(file)))).getDocumentElement();
    Map<String, String> result = new TreeMap<>();
    NodeList appenders = root.getElementsByTagName("appender");
    for (int i = 0; i < appenders.getLength(); i++) {
      Element appender = (Element) appenders.item(i);
      Element encoder = (Element) appender.getElementsByTagName("encoder").item(0);
      NodeList pattern = encoder.getElementsByTagName("pattern");
      result.put(appender.getAttribute("name"), appender.getAttribute("class") + " " + encoder.getAttribute("class")
          + " " + (pattern.getLength() == 0 ? "" : pattern.item(0).getTextContent().strip()));
    }
    return result;
  }

  // ---------------------------------------------------------------- conf/grafana/password-email-worker.json

  private static final Pattern METRIC = Pattern.compile("\\b(?:pew|jvm|process|system|vertx)_[a-zA-Z0-9_]*");

  @Test
  void grafanaDashboardQueriesOnlyMetricsTheWorkerExports() throws IOException {
    JsonNode dashboard = STRICT_JSON.readTree(Files.readString(DASHBOARD));
    List<String> expressions = dashboard.findValuesAsText("expr");

    assertThat(expressions).hasSizeGreaterThan(10);
    assertThat(dashboardProblems(expressions, exportedPewMetrics())).isEmpty();
  }

  @Test
  void dashboardCheckRejectsUnknownAndMissingMetrics() {
    List<String> problems = dashboardProblems(List.of(
        "sum(rate(pew_event_consumed_total[5m]))",
        "vector(1)",
        "sum(jvm_memory_used_bytes{area=\"heap\"})",
        "sum(rate(pew_events_consumed_total[5m]))"), exportedPewMetrics());

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("pew_event_consumed_total");
    assertThat(problems.get(1)).contains("vector(1)");
  }

  @Test
  void grafanaDashboardUsesItsDataSourceVariableEverywhere() throws IOException {
    JsonNode dashboard = STRICT_JSON.readTree(Files.readString(DASHBOARD));

    JsonNode variables = dashboard.path("templating").path("list");
    assertThat(variables.findValues("name").stream().map(JsonNode::asText)).contains("datasource", "instance");
    for (JsonNode variable : variables) {
      if (variable.path("type").asText().equals("datasource")) {
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
      }
    }
    List<JsonNode> dataSources = dashboard.path("panels").findValues("datasource");
    assertThat(dataSources).isNotEmpty()
        .allSatisfy(ds -> assertThat(ds.path("uid").asText()).isEqualTo("${datasource}"));
    List<Integer> ids = new ArrayList<>();
    dashboard.path("panels").forEach(panel -> ids.add(panel.path("id").asInt(-1)));
    assertThat(ids).doesNotContain(-1).doesNotHaveDuplicates();
  }

  /** Each query must name a metric; every pew_ name must be one the worker exports. */
  private static List<String> dashboardProblems(List<String> expressions, Set<String> exported) {
    List<String> problems = new ArrayList<>();
    for (String expr : expressions) {
      Matcher metric = METRIC.matcher(expr);
      List<String> names = new ArrayList<>();
      while (metric.find()) {
        names.add(metric.group());
      }
      if (names.isEmpty()) {
        problems.add("queries no pew_, jvm_, process_, system_ or vertx_ metric: " + expr);
      }
      names.stream().filter(n -> n.startsWith("pew_") && !exported.contains(n))
          .forEach(n -> problems.add("unknown metric " + n + " in: " + expr));
    }
    return problems;
  }

  /**
   * The pew_ series names of a real scrape: WorkerMetrics with every meter recorded once, plus the
   * StateGauges WorkerVerticle binds (by the names it uses), through Micrometer's Prometheus naming.
   */
  private static Set<String> exportedPewMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics metrics = new WorkerMetrics(registry);
    metrics.consumed(1);
    metrics.skipped("tombstone");
    metrics.result("FAILED", "NOT_FOUND", 12);
    metrics.call("404", 1_000_000);
    metrics.retry("retryable");
    metrics.rateLimitWait();
    metrics.commit(1_000_000, false);
    metrics.publishFailure();
    metrics.released();
    metrics.lag(new TopicPartition("onboarding-events", 0), 3);
    metrics.handoverDrained(1);
    new StateGauges(registry).bind(new WorkerStatus() {
      @Override public boolean intakeRunning() { return true; }
      @Override public boolean inGroup() { return true; }
      @Override public int assignedPartitions() { return 1; }
      @Override public boolean publishFailing() { return false; }
      @Override public String holdReason() { return null; }
      @Override public long heldMillis() { return 0; }
      @Override public boolean throttled() { return false; }
      @Override public int inFlight() { return 0; }
      @Override public int unfinished() { return 0; }
      @Override public boolean intakePaused() { return false; }
      @Override public int restoringPartitions() { return 0; }
      @Override public int fleetMembers() { return 1; }
      @Override public double fleetShare() { return 1; }
      @Override public boolean fleetProber() { return false; }
      @Override public boolean fleetDegraded() { return false; }
      @Override public long ledgerEntries() { return 0; }
    });
    Set<String> names = registry.scrape().lines()
        .filter(line -> line.startsWith("pew_"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(HashSet::new));
    registry.close();
    return names;
  }
}
