package dev.pew.ops;

import static dev.pew.config.Settings.*;
import dev.pew.config.TestConfig;
import dev.pew.kafka.KafkaClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pew.config.ConfigException;
import dev.pew.config.ConfigLoader;
import dev.pew.config.LoadedConfig;
import dev.pew.config.WorkerConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the deployment files at the top of the project (docker-compose.yml, Dockerfile,
 * .dockerignore) against the worker's real configuration rules, without Docker: the files are read
 * as text. Every check is also shown to fail on a file with one deliberate mistake, so a broken
 * compose file cannot pass.
 *
 * <p>docker-compose.yml is read by {@link YamlDocument}, a YAML parser (Jackson's) that keeps every
 * scalar as the text written and refuses what it would misread (aliases) or compose refuses
 * (duplicate keys): such a file fails the test instead of being misread. The worker's environment is loaded with the real {@link ConfigLoader} from the project
 * directory, which, like the image's WORKDIR /app, holds conf/config.json: the same layering as in
 * the container.
 */
class ComposeFileTest {

  static final Path PROJECT = projectDirectory();

  // ---------------------------------------------------------------- the real files

  @Test
  void composeFileHasNoProblems() {
    assertThat(ComposeCheck.problems(compose())).isEmpty();
  }

  @Test
  void workerEnvironmentLoadsThroughTheRealConfigLoader() {
    Map<String, String> env = ComposeCheck.workerEnvironment(YamlDocument.parseDocument(compose()));

    LoadedConfig loaded = ConfigLoader.load(List.of(), env);

    WorkerConfig config = loaded.config();
    assertThat(config.get(KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
    assertThat(config.get(XC_ENDPOINT_URL).getHost()).isEqualTo("xc-sim");
    assertThat(config.get(XC_API_TOKEN)).isPresent();
    assertThat(config.get(TOPIC_DEAD_LETTER)).contains("password-email-dead-letter");
    assertThat(config.get(MAX_IN_FLIGHT)).isEqualTo(32);
    assertThat(TestConfig.section(config, KafkaClients.Section.CONSUMER)).containsEntry("max.poll.records", "200");
    assertThat(loaded.warnings()).noneMatch(w -> w.startsWith("ignoring environment variable"));
  }

  @Test
  void dockerfileBuildsFromSourceRunsAsNonRootAndChecksReadiness() {
    assertThat(DockerfileCheck.problems(dockerfile())).isEmpty();
  }

  @Test
  void dockerignoreKeepsTheBuildInputsAndDropsBuildOutput() {
    assertThat(DockerignoreCheck.problems(read(".dockerignore"))).isEmpty();
  }

  // ---------------------------------------------------------------- compose mistakes are caught

  @Test
  void flagsAMisspelledSettingThatTheLoaderAloneWouldIgnore() {
    String broken = replaceOnce(compose(), "MAX_IN_FLIGHT: \"32\"", "MAX_INFLIGHT: \"32\"");

    // The loader ignores unknown variables (the environment is shared), so only the key check sees it.
    Map<String, String> env = ComposeCheck.workerEnvironment(YamlDocument.parseDocument(broken));
    assertThat(ConfigLoader.load(List.of(), env).config().get(MAX_IN_FLIGHT)).isEqualTo(64);
    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("MAX_INFLIGHT"));
  }

  @Test
  void flagsAKafkaVariableThatNamesNoClientProperty() {
    String typo = replaceOnce(compose(), "KAFKA_CONSUMER_MAX_POLL_RECORDS", "KAFKA_CONSUMER_MAX_POLL_RECORD");
    String wrongClient = replaceOnce(compose(), "KAFKA_CONSUMER_MAX_POLL_RECORDS", "KAFKA_PRODUCER_MAX_POLL_RECORDS");

    assertThat(ComposeCheck.problems(typo)).anyMatch(p -> p.contains("KAFKA_CONSUMER_MAX_POLL_RECORD:"));
    assertThat(ComposeCheck.problems(wrongClient)).anyMatch(p -> p.contains("KAFKA_PRODUCER_MAX_POLL_RECORDS"));
  }

  @Test
  void flagsAMissingEndpointEvenThoughTheImageConfigHasOne() {
    String broken = removeLineContaining(compose(), "XC_ENDPOINT_URL:");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("XC_ENDPOINT_URL is not set"));
  }

  @Test
  void flagsAValueTheLoaderRejects() {
    String broken = replaceOnce(compose(), "MAX_IN_FLIGHT: \"32\"", "MAX_IN_FLIGHT: \"0\"");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("config loader") && p.contains("MAX_IN_FLIGHT"));
  }

  @Test
  void flagsAValueTakenFromTheShellRunningCompose() {
    String broken = replaceOnce(compose(), "XC_API_TOKEN: \"local-dev-token\"", "XC_API_TOKEN: \"${XC_API_TOKEN}\"");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("XC_API_TOKEN") && p.contains("$"));
  }

  @Test
  void flagsDependsOnAServiceThatDoesNotExist() {
    String broken = replaceOnce(compose(),
        "      topics:\n        condition: service_completed_successfully",
        "      topic-setup:\n        condition: service_completed_successfully");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("topic-setup") && p.contains("no such service"));
  }

  @Test
  void flagsAWaitForHealthOnAServiceWithoutHealthCheck() {
    String noKafkaHealth = removeBlock(compose(), "    healthcheck:\n      test:\n        - CMD-SHELL", "      retries: 10\n");

    assertThat(ComposeCheck.problems(noKafkaHealth)).anyMatch(p -> p.contains("kafka") && p.contains("healthcheck"));
  }

  @Test
  void flagsABootstrapHostThatIsNoService() {
    String broken = replaceOnce(compose(), "KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\"", "KAFKA_BOOTSTRAP_SERVERS: \"broker:9092\"");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("broker") && p.contains("not a service"));
  }

  @Test
  void flagsABootstrapAddressTheBrokerDoesNotAdvertise() {
    String broken = replaceOnce(compose(), "KAFKA_BOOTSTRAP_SERVERS: \"kafka:9092\"", "KAFKA_BOOTSTRAP_SERVERS: \"kafka:9093\"");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("kafka:9093") && p.contains("advertise"));
  }

  @Test
  void flagsAnEndpointHostThatIsNoService() {
    String broken = replaceOnce(compose(), "http://xc-sim:8081/", "http://xcsim:8081/");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("xcsim") && p.contains("not a service"));
  }

  @Test
  void flagsAnEndpointPortOrTokenTheSimulatorDoesNotUse() {
    String wrongPort = replaceOnce(compose(), "http://xc-sim:8081/", "http://xc-sim:8080/");
    String wrongToken = replaceOnce(compose(), "XC_API_TOKEN: \"local-dev-token\"", "XC_API_TOKEN: \"other-token\"");

    assertThat(ComposeCheck.problems(wrongPort)).anyMatch(p -> p.contains("port 8080") && p.contains("8081"));
    assertThat(ComposeCheck.problems(wrongToken)).anyMatch(p -> p.contains("XC_API_TOKEN") && p.contains("--token"));
  }

  @Test
  void flagsATopicThatNoServiceCreates() {
    String broken = replaceOnce(compose(), "TOPIC_DEAD_LETTER: \"password-email-dead-letter\"", "TOPIC_DEAD_LETTER: \"password-email-dlq\"");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("password-email-dlq"));
  }

  @Test
  void flagsTooFewInputPartitionsForTheReplicas() {
    String broken = replaceOnce(compose(), "--topic onboarding-events --partitions 6", "--topic onboarding-events --partitions 1");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("partitions"));
  }

  @Test
  void flagsAFixedHostPortOrASingleReplica() {
    String fixedPort = replaceOnce(compose(), "\"127.0.0.1::8080\"", "\"127.0.0.1:8080:8080\"");
    String oneReplica = replaceOnce(compose(), "replicas: 2", "replicas: 1");

    assertThat(ComposeCheck.problems(fixedPort)).anyMatch(p -> p.contains("fixed host port"));
    assertThat(ComposeCheck.problems(oneReplica)).anyMatch(p -> p.contains("replicas"));
  }

  @Test
  void flagsAStopGracePeriodNotLongerThanTheShutdownGrace() {
    String broken = replaceOnce(compose(), "stop_grace_period: 40s", "stop_grace_period: 20s");

    assertThat(ComposeCheck.problems(broken)).anyMatch(p -> p.contains("stop_grace_period"));
  }

  @Test
  void flagsAWorkerHealthCheckThatIsNotReadinessOnTheHttpPort() {
    String liveness = replaceOnce(compose(), "GET /health/ready HTTP/1.0\\r\\nHost", "GET /health/live HTTP/1.0\\r\\nHost");
    String otherPort = replaceOnce(compose(), "HTTP_PORT: \"8080\"", "HTTP_PORT: \"9090\"");

    assertThat(ComposeCheck.problems(liveness)).anyMatch(p -> p.contains("/health/ready"));
    assertThat(ComposeCheck.problems(otherPort)).anyMatch(p -> p.contains("9090"));
  }

  @Test
  void flagsAFileWithoutTheWorkerService() {
    String yaml = "services:\n  app:\n    image: x\n";

    assertThat(ComposeCheck.problems(yaml)).anyMatch(p -> p.contains("no service named worker"));
  }

  // ---------------------------------------------------------------- Dockerfile and .dockerignore mistakes

  @Test
  void flagsARuntimeStageRunningAsRoot() {
    String noUser = removeLineContaining(dockerfile(), "USER 10001:10001");
    String root = replaceOnce(dockerfile(), "USER 10001:10001", "USER 0");
    String named = replaceOnce(dockerfile(), "USER 10001:10001", "USER pew");

    assertThat(DockerfileCheck.problems(noUser)).anyMatch(p -> p.contains("root"));
    assertThat(DockerfileCheck.problems(root)).anyMatch(p -> p.contains("root"));
    assertThat(DockerfileCheck.problems(named)).anyMatch(p -> p.contains("numeric"));
  }

  @Test
  void flagsAHealthCheckOnLivenessOrNone() {
    String liveness = replaceOnce(dockerfile(), "GET /health/ready", "GET /health/live");
    String none = removeBlock(dockerfile(), "HEALTHCHECK ", "' 200 '\"]\n");

    assertThat(DockerfileCheck.problems(liveness)).anyMatch(p -> p.contains("/health/ready"));
    assertThat(DockerfileCheck.problems(none)).anyMatch(p -> p.contains("HEALTHCHECK"));
  }

  @Test
  void flagsAClassArchiveThatNoTrainingRunWrites() {
    String untrained = removeBlock(dockerfile(), "RUN KAFKA_BOOTSTRAP_SERVERS", "test -s /app/password-email-worker.jsa\n");
    String otherFile = replaceOnce(dockerfile(), "-XX:ArchiveClassesAtExit=/app/password-email-worker.jsa",
        "-XX:ArchiveClassesAtExit=/tmp/other.jsa");

    assertThat(DockerfileCheck.problems(dockerfile())).isEmpty();
    assertThat(DockerfileCheck.problems(untrained)).anyMatch(p -> p.contains("class archive") && p.contains("training"));
    assertThat(DockerfileCheck.problems(otherFile)).anyMatch(p -> p.contains("/app/password-email-worker.jsa"));
  }

  @Test
  void flagsASingleStageBuildAndSourcesCopiedBeforeThePom() {
    String singleStage = "FROM eclipse-temurin:17-jre\nUSER 10001\nHEALTHCHECK CMD x /health/ready\n"
        + "EXPOSE 8080\nENTRYPOINT [\"java\",\"-jar\",\"/app/password-email-worker.jar\"]\n";
    String srcFirst = replaceOnce(dockerfile(), "COPY pom.xml .\n", "COPY src ./src\nCOPY pom.xml .\n");

    assertThat(DockerfileCheck.problems(singleStage)).anyMatch(p -> p.contains("multi-stage"));
    assertThat(DockerfileCheck.problems(srcFirst)).anyMatch(p -> p.contains("pom.xml"));
  }

  @Test
  void flagsADockerignoreThatDropsTheSourcesOrKeepsTarget() {
    String current = read(".dockerignore");

    assertThat(DockerignoreCheck.problems(current + "src/\n")).anyMatch(p -> p.contains("src/main"));
    assertThat(DockerignoreCheck.problems(current + "*.xml\n")).anyMatch(p -> p.contains("pom.xml"));
    assertThat(DockerignoreCheck.problems(current.replace("target/\n", ""))).anyMatch(p -> p.contains("target"));
    assertThat(DockerignoreCheck.problems(current + "src/\n!src/main/\n")).isEmpty();
  }

  // ---------------------------------------------------------------- reading the YAML

  @Test
  void yamlIsReadAsComposeReadsItEveryScalarAsText() {
    String yaml = String.join("\n",
        "# comment",
        "top:",
        "  plain: some value # trailing comment",
        "  number: 010",
        "  word: yes",
        "  double: \"a \\\"b\\\" \\\\ c\\r\\n\"",
        "  single: 'it''s # not a comment'",
        "  empty:",
        "  tilde: ~",
        "  flow: [\"CMD\", 'b,c', d]",
        "  list:",
        "    - one",
        "    - |",
        "      line 1",
        "        indented",
        "    - {k: v}",
        "");

    Map<String, Object> top = YamlDocument.asMap(YamlDocument.parseDocument(yaml).get("top"));

    assertThat(top).containsEntry("plain", "some value")
        .containsEntry("number", "010")
        .containsEntry("word", "yes")
        .containsEntry("double", "a \"b\" \\ c\r\n")
        .containsEntry("single", "it's # not a comment")
        .containsEntry("empty", null)
        .containsEntry("tilde", null)
        .containsEntry("flow", List.of("CMD", "b,c", "d"));
    assertThat(top.get("list")).isEqualTo(List.of("one", "line 1\n  indented\n", Map.of("k", "v")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a: &anchor x\nb: *anchor",
      "base: &b {k: v}\nc:\n  <<: *b",
      "a: 1\na: 2",
      "a:\n\tb: c",
      "a: x: y",
      "a: \"unterminated",
      "a: 'x' trailing",
      "a: [x, y",
      "a: 1\n  b: 2",
      "a: 1\n---\nb: 2",
      "- a",
      "just text",
  })
  void yamlThatComposeWouldRejectOrReadDifferentlyIsRefused(String yaml) {
    assertThatThrownBy(() -> YamlDocument.parseDocument(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line ");
  }

  // ---------------------------------------------------------------- helpers

  private static String compose() {
    return read("docker-compose.yml");
  }

  private static String dockerfile() {
    return read("Dockerfile");
  }

  static String read(String name) {
    try {
      return Files.readString(PROJECT.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + " in " + PROJECT, e);
    }
  }

  /** The mutation must hit exactly one place, or the test would check something else than it says. */
  static String replaceOnce(String text, String from, String to) {
    int first = text.indexOf(from);
    assertThat(first).as("occurrence of %s", from).isNotNegative();
    assertThat(text.indexOf(from, first + 1)).as("second occurrence of %s", from).isNegative();
    return text.substring(0, first) + to + text.substring(first + from.length());
  }

  private static String removeLineContaining(String text, String marker) {
    List<String> kept = text.lines().filter(l -> !l.contains(marker)).toList();
    assertThat(kept).hasSize((int) text.lines().count() - 1);
    return String.join("\n", kept) + "\n";
  }

  private static String removeBlock(String text, String start, String endInclusive) {
    int from = text.indexOf(start);
    int to = text.indexOf(endInclusive, from);
    assertThat(from).isNotNegative();
    assertThat(to).isNotNegative();
    return text.substring(0, from) + text.substring(to + endInclusive.length());
  }

  private static Path projectDirectory() {
    Path dir = Path.of("").toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("pom.xml"))) {
      throw new IllegalStateException("run the tests from the project directory (no pom.xml in " + dir + ")");
    }
    return dir;
  }

  // ================================================================ checkers

  /**
   * Which names the worker reads: its settings ({@code dev.pew.config.Settings}) and
   * Kafka client properties passed through {@code KAFKA_<NAME>}, {@code KAFKA_CONSUMER_<NAME>},
   * {@code KAFKA_PRODUCER_<NAME>} (mapped as the worker maps them: lower case, {@code _} to
   * {@code .}). Stateless and thread-safe.
   */
  static final class KnownKeys {

    static final Set<String> SETTINGS = readSettings();
    static final Set<String> CONSUMER = ConsumerConfig.configNames();
    static final Set<String> PRODUCER = ProducerConfig.configNames();
    static final Set<String> KAFKA_SECTIONS = Set.of("kafka.common", "kafka.consumer", "kafka.producer", "kafka");

    private KnownKeys() {}

    /** From the settings table itself: a new setting needs no change here. */
    private static Set<String> readSettings() {
      return dev.pew.config.Settings.ALL.stream().map(dev.pew.config.Setting::name).collect(java.util.stream.Collectors.toSet());
    }

    /** Why the worker would not read the environment variable {@code name}; empty when it would. */
    static Optional<String> environmentProblem(String name) {
      if (SETTINGS.contains(name)) {
        return Optional.empty();
      }
      if (name.startsWith("KAFKA_CONSUMER_")) {
        return kafkaProblem(name, "KAFKA_CONSUMER_", CONSUMER, "consumer");
      }
      if (name.startsWith("KAFKA_PRODUCER_")) {
        return kafkaProblem(name, "KAFKA_PRODUCER_", PRODUCER, "producer");
      }
      if (name.startsWith("KAFKA_")) {
        String property = property(name.substring("KAFKA_".length()));
        return CONSUMER.contains(property) || PRODUCER.contains(property) ? Optional.empty()
            : Optional.of(name + ": \"" + property + "\" is not a Kafka client property (the worker would ignore it)");
      }
      return Optional.of(name + ": not a setting of the worker (the worker would ignore it; check the spelling)");
    }

    private static Optional<String> kafkaProblem(String name, String prefix, Set<String> names, String client) {
      String property = property(name.substring(prefix.length()));
      return names.contains(property) ? Optional.empty()
          : Optional.of(name + ": \"" + property + "\" is not a Kafka " + client + " property (the worker would ignore it)");
    }

    /** Why {@code key} is no top-level key of a config file; empty when it is one. */
    static Optional<String> fileKeyProblem(String key) {
      if (key.startsWith("_") || SETTINGS.contains(key) || KAFKA_SECTIONS.contains(key)) {
        return Optional.empty();
      }
      return Optional.of(key + ": not a config-file key");
    }

    static String property(String envSuffix) {
      return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
    }
  }

  /**
   * Reads docker-compose.yml (as parsed by {@link MiniYaml}) and lists what is wrong with it for
   * this project: the worker service {@value #WORKER}, its environment against the worker's real
   * configuration rules, and the services it relies on. Not thread-safe: one instance per check.
   */
  static final class ComposeCheck {

    static final String WORKER = "worker";
    private static final Set<String> CONDITIONS =
        Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)");

    private final Map<String, Object> services;
    private final List<String> problems = new ArrayList<>();

    private ComposeCheck(Map<String, Object> services) {
      this.services = services;
    }

    /** The problems of a compose file; empty when it is right. Syntax outside the subset throws. */
    static List<String> problems(String yaml) {
      Map<String, Object> root = YamlDocument.parseDocument(yaml);
      Map<String, Object> services = YamlDocument.asMap(root.get("services"));
      if (services == null || services.isEmpty()) {
        return List.of("services: missing or empty");
      }
      ComposeCheck check = new ComposeCheck(services);
      check.run();
      return List.copyOf(check.problems);
    }

    /** The worker service's environment as the container gets it (compose turns numbers into text). */
    static Map<String, String> workerEnvironment(Map<String, Object> root) {
      Map<String, Object> worker = YamlDocument.asMap(YamlDocument.asMap(root.get("services")).get(WORKER));
      Map<String, String> env = new LinkedHashMap<>();
      Map<String, Object> raw = YamlDocument.asMap(worker.get("environment"));
      if (raw != null) {
        raw.forEach((k, v) -> env.put(k, v == null ? null : v.toString()));
      }
      return env;
    }

    private void run() {
      services.forEach(this::checkDependsOn);
      Map<String, Object> worker = service(WORKER);
      if (worker == null) {
        problems.add("no service named " + WORKER);
        return;
      }
      Map<String, String> env = checkedEnvironment(worker);
      if (env == null) {
        return;
      }
      LoadedConfig loaded;
      try {
        loaded = ConfigLoader.load(List.of(), env);
      } catch (ConfigException e) {
        problems.add(WORKER + ": environment rejected by the config loader: " + e.getMessage());
        return;
      }
      loaded.warnings().stream()
          .filter(w -> w.startsWith("ignoring environment variable"))
          .forEach(w -> problems.add(WORKER + ": config loader warns: " + w));
      WorkerConfig config = loaded.config();
      checkBootstrapServers(config.get(KAFKA_BOOTSTRAP_SERVERS));
      checkEndpoint(config, env);
      checkTopics(worker, config);
      checkScaling(worker);
      checkStopGracePeriod(worker, config.get(SHUTDOWN_GRACE_MS));
      checkHealthCheck(worker, config.get(HTTP_PORT));
    }

    private Map<String, Object> service(String name) {
      return YamlDocument.asMap(services.get(name));
    }

    private void checkDependsOn(String name, Object definition) {
      Map<String, Object> service = YamlDocument.asMap(definition);
      if (service == null) {
        problems.add(name + ": not a mapping");
        return;
      }
      dependencies(service).forEach((target, condition) -> {
        if (!services.containsKey(target)) {
          problems.add(name + ": depends_on " + target + ", but there is no such service");
        } else if (!CONDITIONS.contains(condition)) {
          problems.add(name + ": depends_on " + target + " with unknown condition " + condition);
        } else if (condition.equals("service_healthy")
            && (service(target) == null || service(target).get("healthcheck") == null)) {
          problems.add(name + ": waits for " + target + " to be healthy, but " + target + " has no healthcheck");
        }
      });
    }

    /** depends_on as target to condition; the short list form means service_started. */
    private static Map<String, String> dependencies(Map<String, Object> service) {
      Object dependsOn = service.get("depends_on");
      Map<String, String> result = new LinkedHashMap<>();
      if (dependsOn instanceof List<?> list) {
        list.forEach(t -> result.put(String.valueOf(t), "service_started"));
      } else if (dependsOn instanceof Map<?, ?> map) {
        map.forEach((t, spec) -> {
          Map<String, Object> details = YamlDocument.asMap(spec);
          Object condition = details == null ? null : details.get("condition");
          result.put(String.valueOf(t), condition == null ? "service_started" : condition.toString());
        });
      }
      return result;
    }

    /** The worker's environment, or null when it cannot be checked further. */
    private Map<String, String> checkedEnvironment(Map<String, Object> worker) {
      Object raw = worker.get("environment");
      if (!(raw instanceof Map<?, ?>)) {
        problems.add(WORKER + ": environment must be a mapping NAME: value (the list form is not checked)");
        return null;
      }
      Map<String, String> env = new LinkedHashMap<>();
      YamlDocument.asMap(raw).forEach((name, value) -> {
        if (value == null) {
          problems.add(WORKER + ": " + name + " has no value: compose would copy it from the shell running compose");
          return;
        }
        String text = value.toString();
        if (text.contains("$")) {
          problems.add(WORKER + ": " + name + " contains $: compose would substitute it from the shell running compose"
              + " (write $$ for a literal $)");
        }
        KnownKeys.environmentProblem(name).ifPresent(p -> problems.add(WORKER + ": " + p));
        env.put(name, text);
      });
      if (env.getOrDefault("XC_ENDPOINT_URL", "").isBlank()) {
        problems.add(WORKER + ": XC_ENDPOINT_URL is not set (the image's conf/config.json would send calls to its own loopback)");
      }
      return env;
    }

    private void checkBootstrapServers(String bootstrapServers) {
      for (String entry : bootstrapServers.split(",")) {
        int colon = entry.lastIndexOf(':');
        String host = entry.substring(0, colon);
        Map<String, Object> broker = service(host);
        if (broker == null) {
          problems.add(WORKER + ": KAFKA_BOOTSTRAP_SERVERS names " + host + ", which is not a service of this file");
          continue;
        }
        Object advertised = environmentOf(broker).get("KAFKA_ADVERTISED_LISTENERS");
        if (advertised != null && !advertised.toString().contains("://" + entry)) {
          problems.add(WORKER + ": KAFKA_BOOTSTRAP_SERVERS has " + entry + ", but " + host
              + " does not advertise it (KAFKA_ADVERTISED_LISTENERS: " + advertised + ")");
        }
      }
    }

    private void checkEndpoint(WorkerConfig config, Map<String, String> env) {
      URI url = config.get(XC_ENDPOINT_URL);
      if (!url.getPath().endsWith("/send_password_email")) {
        problems.add(WORKER + ": XC_ENDPOINT_URL does not end with /send_password_email");
      }
      Map<String, Object> api = service(url.getHost());
      if (api == null) {
        problems.add(WORKER + ": XC_ENDPOINT_URL names " + url.getHost() + ", which is not a service of this file");
        return;
      }
      List<String> args = commandWords(api);
      int port = url.getPort() >= 0 ? url.getPort() : (url.getScheme().equalsIgnoreCase("https") ? 443 : 80);
      optionValue(args, "--port").filter(p -> !p.equals(Integer.toString(port))).ifPresent(p ->
          problems.add(WORKER + ": XC_ENDPOINT_URL uses port " + port + ", but " + url.getHost() + " listens on --port " + p));
      optionValue(args, "--token").filter(t -> !t.equals(env.get("XC_API_TOKEN"))).ifPresent(t ->
          problems.add(WORKER + ": XC_API_TOKEN differs from the --token " + url.getHost() + " accepts"));
    }

    private void checkTopics(Map<String, Object> worker, WorkerConfig config) {
      List<String> topics = new ArrayList<>(List.of(config.get(TOPIC_INPUT), config.get(TOPIC_SENT), config.get(TOPIC_FAILED)));
      config.get(TOPIC_DEAD_LETTER).ifPresent(topics::add);
      Map<String, String> dependencies = dependencies(worker);
      int replicas = replicas(worker);
      for (String topic : topics) {
        Optional<TopicCreation> creation = findCreation(topic);
        if (creation.isEmpty()) {
          problems.add(WORKER + ": topic " + topic + " is created by no service (kafka-topics.sh --create --topic " + topic + ")");
          continue;
        }
        String creator = creation.get().service();
        if (!"service_completed_successfully".equals(dependencies.get(creator))) {
          problems.add(WORKER + ": must depend on " + creator + " with condition service_completed_successfully"
              + " (it creates " + topic + ")");
        }
        if (topic.equals(config.get(TOPIC_INPUT)) && creation.get().partitions() < replicas) {
          problems.add(WORKER + ": " + topic + " has " + creation.get().partitions() + " partitions, fewer than the "
              + replicas + " replicas sharing it (some would idle)");
        }
      }
    }

    private record TopicCreation(String service, int partitions) {}

    private Optional<TopicCreation> findCreation(String topic) {
      Pattern topicOption = Pattern.compile("--topic[ =]" + Pattern.quote(topic) + "(\\s|$)");
      Pattern partitionsOption = Pattern.compile("--partitions[ =](\\d+)");
      for (Map.Entry<String, Object> entry : services.entrySet()) {
        if (entry.getKey().equals(WORKER)) {
          continue;
        }
        for (String line : String.join(" ", commandWords(YamlDocument.asMap(entry.getValue()))).split("\n")) {
          if (line.contains("--create") && topicOption.matcher(line).find()) {
            Matcher partitions = partitionsOption.matcher(line);
            return Optional.of(new TopicCreation(entry.getKey(), partitions.find() ? Integer.parseInt(partitions.group(1)) : 1));
          }
        }
      }
      return Optional.empty();
    }

    private void checkScaling(Map<String, Object> worker) {
      int replicas = replicas(worker);
      if (replicas < 2) {
        problems.add(WORKER + ": deploy.replicas must be at least 2 (instances sharing one consumer group), got " + replicas);
      }
      if (worker.containsKey("container_name")) {
        problems.add(WORKER + ": container_name prevents more than one replica");
      }
      Object ports = worker.get("ports");
      if (ports instanceof List<?> list) {
        for (Object port : list) {
          checkPort(String.valueOf(port), replicas);
        }
      }
    }

    /** Short syntax {@code [IP:][HOST:]CONTAINER[/proto]}: the host part must be empty or a range. */
    private void checkPort(String spec, int replicas) {
      String[] parts = spec.replaceFirst("/(tcp|udp)$", "").split(":", -1);
      String host = parts.length >= 2 ? parts[parts.length - 2] : "";
      if (host.isEmpty()) {
        return;
      }
      Matcher range = Pattern.compile("(\\d+)-(\\d+)").matcher(host);
      if (!range.matches()) {
        problems.add(WORKER + ": port " + spec + " is a fixed host port: replicas would collide (use \"127.0.0.1::8080\")");
      } else if (Integer.parseInt(range.group(2)) - Integer.parseInt(range.group(1)) + 1 < replicas) {
        problems.add(WORKER + ": port range " + spec + " is smaller than the " + replicas + " replicas");
      }
    }

    private static int replicas(Map<String, Object> worker) {
      Map<String, Object> deploy = YamlDocument.asMap(worker.get("deploy"));
      Object replicas = deploy == null ? null : deploy.get("replicas");
      try {
        return replicas == null ? 1 : Integer.parseInt(replicas.toString());
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private void checkStopGracePeriod(Map<String, Object> worker, long shutdownGraceMs) {
      Object period = worker.get("stop_grace_period");
      long millis = period == null ? 10_000 : durationMillis(period.toString());
      if (millis < 0) {
        problems.add(WORKER + ": stop_grace_period " + period + " is not a duration such as 40s or 1m30s");
      } else if (millis <= shutdownGraceMs) {
        problems.add(WORKER + ": stop_grace_period (" + (period == null ? "default 10s" : period) + ") must be longer than"
            + " SHUTDOWN_GRACE_MS (" + shutdownGraceMs + " ms), or docker kills calls still finishing");
      }
    }

    /** Compose durations such as {@code 40s}, {@code 1m30s}, {@code 500ms}; -1 when unreadable. */
    static long durationMillis(String text) {
      Matcher part = DURATION_PART.matcher(text.strip());
      double millis = 0;
      int at = 0;
      while (part.find() && part.start() == at) {
        double value = Double.parseDouble(part.group(1));
        millis += value * switch (part.group(2)) {
          case "h" -> 3_600_000;
          case "m" -> 60_000;
          case "s" -> 1_000;
          case "ms" -> 1;
          case "us" -> 0.001;
          default -> 0.000_001;
        };
        at = part.end();
      }
      return at == text.strip().length() && at > 0 ? (long) millis : -1;
    }

    private void checkHealthCheck(Map<String, Object> worker, int httpPort) {
      Map<String, Object> healthcheck = YamlDocument.asMap(worker.get("healthcheck"));
      Object test = healthcheck == null ? null : healthcheck.get("test");
      if (test == null || "true".equals(String.valueOf(healthcheck.get("disable")))) {
        problems.add(WORKER + ": needs a healthcheck on /health/ready");
        return;
      }
      String text = test instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList()) : test.toString();
      if (!text.contains("/health/ready")) {
        problems.add(WORKER + ": the healthcheck must ask /health/ready (ready = Kafka reachable, in the group, not holding)");
      }
      if (!Pattern.compile("[:/]" + httpPort + "(?!\\d)").matcher(text).find()) {
        problems.add(WORKER + ": the healthcheck does not use HTTP_PORT " + httpPort);
      }
    }

    private static Map<String, Object> environmentOf(Map<String, Object> service) {
      Map<String, Object> env = YamlDocument.asMap(service.get("environment"));
      return env == null ? Map.of() : env;
    }

    /** entrypoint and command as words; a string command is split on blanks, a list is kept as it is. */
    private static List<String> commandWords(Map<String, Object> service) {
      List<String> words = new ArrayList<>();
      for (String key : List.of("entrypoint", "command")) {
        Object value = service.get(key);
        if (value instanceof List<?> list) {
          list.forEach(v -> words.add(String.valueOf(v)));
        } else if (value != null) {
          words.addAll(List.of(value.toString().strip().split("\\s+")));
        }
      }
      return words;
    }

    private static Optional<String> optionValue(List<String> args, String option) {
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals(option) && i + 1 < args.size()) {
          return Optional.of(args.get(i + 1));
        }
        if (args.get(i).startsWith(option + "=")) {
          return Optional.of(args.get(i).substring(option.length() + 1));
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Lists what is wrong with the Dockerfile: multi-stage, pom.xml copied before the sources, and a
   * runtime (last) stage that runs as a numeric non-root user, checks /health/ready, exposes 8080
   * and starts the jar it copied from the build stage. Stateless.
   */
  static final class DockerfileCheck {

    private record Instruction(String keyword, String arguments) {}

    private DockerfileCheck() {}

    static List<String> problems(String dockerfile) {
      List<List<Instruction>> stages = stages(dockerfile);
      List<String> problems = new ArrayList<>();
      if (stages.size() < 2) {
        problems.add("not a multi-stage build: the runtime image would carry Maven and the sources");
        if (stages.isEmpty()) {
          return problems;
        }
      } else {
        checkBuildStage(stages.get(0), problems);
      }
      checkRuntimeStage(stages.get(stages.size() - 1), problems);
      return problems;
    }

    private static void checkBuildStage(List<Instruction> build, List<String> problems) {
      int pom = indexOf(build, "COPY", a -> a.matches("pom\\.xml\\s+.*"));
      int sources = indexOf(build, "COPY", a -> a.matches("src\\b.*"));
      if (pom < 0 || sources < 0 || pom > sources) {
        problems.add("build stage: COPY pom.xml (and resolve dependencies) before COPY src, so the dependency layer is cached");
      }
      if (indexOf(build, "RUN", a -> a.contains("mvn") && a.contains("package")) < 0) {
        problems.add("build stage: no RUN mvn ... package");
      }
    }

    private static void checkRuntimeStage(List<Instruction> runtime, List<String> problems) {
      String user = last(runtime, "USER").map(i -> i.arguments().split(":")[0].strip()).orElse("root");
      if (user.equals("root") || user.equals("0")) {
        problems.add("runtime stage runs as root: add USER with a non-root uid");
      } else if (!user.matches("\\d+")) {
        problems.add("runtime stage: USER " + user + " is not numeric (Kubernetes runAsNonRoot can only verify a numeric uid)");
      }
      Optional<Instruction> healthcheck = last(runtime, "HEALTHCHECK");
      if (healthcheck.isEmpty() || healthcheck.get().arguments().strip().equalsIgnoreCase("NONE")) {
        problems.add("runtime stage: no HEALTHCHECK");
      } else if (!healthcheck.get().arguments().contains("/health/ready")) {
        problems.add("runtime stage: HEALTHCHECK must ask /health/ready");
      }
      if (last(runtime, "EXPOSE").filter(i -> List.of(i.arguments().split("\\s+")).contains("8080")).isEmpty()) {
        problems.add("runtime stage: EXPOSE 8080 missing");
      }
      Optional<String> jar = last(runtime, "ENTRYPOINT").map(i -> i.arguments())
          .flatMap(a -> Optional.of(Pattern.compile("\"-jar\"\\s*,\\s*\"([^\"]+)\"").matcher(a)).filter(Matcher::find).map(m -> m.group(1)));
      if (jar.isEmpty()) {
        problems.add("runtime stage: ENTRYPOINT must be the exec form [\"java\", ..., \"-jar\", \"/app/....jar\"]");
      } else if (indexOf(runtime, "COPY", a -> a.startsWith("--from=") && a.strip().endsWith(jar.get())) < 0) {
        problems.add("runtime stage: ENTRYPOINT starts " + jar.get() + ", which no COPY --from=build puts there");
      }
      Optional<String> archive = last(runtime, "ENTRYPOINT").map(i -> i.arguments())
          .flatMap(a -> Optional.of(Pattern.compile("-XX:SharedArchiveFile=([^\"]+)").matcher(a)).filter(Matcher::find).map(m -> m.group(1)));
      if (archive.isPresent() && indexOf(runtime, "RUN", a -> a.contains("-XX:ArchiveClassesAtExit=" + archive.get())
          && jar.isPresent() && a.contains("-jar " + jar.get())) < 0) {
        problems.add("runtime stage: ENTRYPOINT maps the class archive " + archive.get() + ", which no training RUN "
            + "(java -XX:ArchiveClassesAtExit=" + archive.get() + " -jar " + jar.orElse("...") + ") writes");
      }
      last(runtime, "STOPSIGNAL").filter(i -> !i.arguments().strip().equals("SIGTERM")).ifPresent(i ->
          problems.add("runtime stage: STOPSIGNAL must be SIGTERM (the worker's graceful stop)"));
    }

    private static int indexOf(List<Instruction> stage, String keyword, java.util.function.Predicate<String> arguments) {
      for (int i = 0; i < stage.size(); i++) {
        if (stage.get(i).keyword().equals(keyword) && arguments.test(stage.get(i).arguments().strip())) {
          return i;
        }
      }
      return -1;
    }

    private static Optional<Instruction> last(List<Instruction> stage, String keyword) {
      Instruction found = null;
      for (Instruction instruction : stage) {
        if (instruction.keyword().equals(keyword)) {
          found = instruction;
        }
      }
      return Optional.ofNullable(found);
    }

    /** Instructions per stage; comment lines dropped, continuation lines joined. */
    private static List<List<Instruction>> stages(String dockerfile) {
      List<List<Instruction>> stages = new ArrayList<>();
      StringBuilder pending = new StringBuilder();
      for (String line : dockerfile.lines().toList()) {
        String stripped = line.strip();
        if (stripped.startsWith("#") || (stripped.isEmpty() && pending.length() == 0)) {
          continue;
        }
        if (stripped.endsWith("\\")) {
          pending.append(stripped, 0, stripped.length() - 1).append(' ');
          continue;
        }
        pending.append(stripped);
        String text = pending.toString().strip();
        pending.setLength(0);
        if (text.isEmpty()) {
          continue;
        }
        String[] split = text.split("\\s+", 2);
        Instruction instruction = new Instruction(split[0].toUpperCase(Locale.ROOT), split.length > 1 ? split[1] : "");
        if (instruction.keyword().equals("FROM")) {
          stages.add(new ArrayList<>());
        }
        if (!stages.isEmpty()) {
          stages.get(stages.size() - 1).add(instruction);
        }
      }
      return stages;
    }
  }

  /**
   * Lists what is wrong with .dockerignore: the build stage compiles from source, so pom.xml, src/
   * and conf/ must reach the context; target/ and .git must not. Patterns are matched as Docker
   * does for the simple cases used here (glob per path, a matching directory covers its contents,
   * {@code !} re-includes, last match wins). Stateless.
   */
  static final class DockerignoreCheck {

    private static final List<String> MUST_KEEP = List.of(
        "pom.xml", "src/main/java/dev/pew/Main.java", "src/main/resources/logback.xml", "conf/config.json");
    private static final List<String> MUST_DROP = List.of("target/password-email-worker.jar", ".git/HEAD");

    private DockerignoreCheck() {}

    static List<String> problems(String dockerignore) {
      List<String> patterns = dockerignore.lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      List<String> problems = new ArrayList<>();
      MUST_KEEP.stream().filter(p -> excluded(patterns, p))
          .forEach(p -> problems.add(".dockerignore excludes " + p + ", which the build stage needs"));
      MUST_DROP.stream().filter(p -> !excluded(patterns, p))
          .forEach(p -> problems.add(".dockerignore lets " + p + " into the build context"));
      return problems;
    }

    private static boolean excluded(List<String> patterns, String path) {
      boolean excluded = false;
      for (String raw : patterns) {
        boolean negated = raw.startsWith("!");
        String pattern = (negated ? raw.substring(1) : raw).replaceAll("^/+", "").replaceAll("/+$", "");
        if (matchesPathOrParent(pattern, path)) {
          excluded = !negated;
        }
      }
      return excluded;
    }

    private static boolean matchesPathOrParent(String pattern, String path) {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      for (Path p = Path.of(path); p != null; p = p.getParent()) {
        if (matcher.matches(p)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * docker-compose.yml as Java values, read by a real YAML parser (Jackson's, on SnakeYAML). Every
   * scalar is kept as the text written, as compose hands it to the container: {@code 2}, {@code "2"}
   * and {@code 010} are {@code "2"}, {@code "2"} and {@code "010"} (not 8); {@code ~}, {@code null} and
   * nothing are null. Refused with the line: YAML errors (tabs, bad indentation, unterminated
   * quotes), duplicate keys (compose refuses them too), aliases and merge keys (Jackson would hand
   * back the alias name as text), several documents, a document that is not a mapping. Values are
   * String, List, Map (in file order) or null. Stateless.
   */
  static final class YamlDocument {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlDocument() {}

    /** The document, which must be one mapping. @throws IllegalArgumentException "line N: problem" */
    static Map<String, Object> parseDocument(String text) {
      try (YAMLParser parser = FACTORY.createParser(text)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw error(parser, "the document must be a mapping");
        }
        Map<String, Object> root = mapping(parser);
        if (parser.nextToken() != null) {
          throw error(parser, "only one YAML document is allowed");
        }
        return root;
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The value as a mapping, or null when it is not one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
      return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
    }

    private static Map<String, Object> mapping(YAMLParser parser) throws IOException {
      Map<String, Object> map = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        parser.nextToken();
        if (map.containsKey(key)) {
          throw error(parser, "duplicate key " + key);
        }
        map.put(key, value(parser));
      }
      return map;
    }

    private static Object value(YAMLParser parser) throws IOException {
      if (parser.isCurrentAlias()) {
        throw error(parser, "aliases (*" + parser.getText() + ") and merge keys are not supported: they would be read as text");
      }
      return switch (parser.currentToken()) {
        case START_OBJECT -> mapping(parser);
        case START_ARRAY -> {
          List<Object> list = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(value(parser));
          }
          yield list;
        }
        case VALUE_NULL -> null;
        default -> parser.getText();
      };
    }

    private static IllegalArgumentException error(YAMLParser parser, String problem) {
      return new IllegalArgumentException("line " + parser.currentTokenLocation().getLineNr() + ": " + problem);
    }
  }
}
