package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pew.config.ConfigLoader;
import dev.pew.config.LoadedConfig;
import dev.pew.config.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests in deploy/kubernetes. Every manifest is validated against the Kubernetes
 * OpenAPI schemas and the CRD schemas of the Prometheus Operator and KEDA by the node validator in
 * deploy/kubernetes/validate (kubernetes-models, unknown fields included; installed with npm ci into
 * target/ unless the validate folder has its node_modules; skipped without node and npm, failed under
 * PEW_REQUIRE_TOOLS=1 as in CI), and misspelt copies are shown to be rejected with the validator's
 * message. The cross-references no schema can see are checked here on the parsed YAML: probe ports and
 * paths, environment names against README's configuration table and the worker's own config loader,
 * the token Secret against XC_API_TOKEN_FILE, the grace period against SHUTDOWN_GRACE_MS, selectors,
 * Service and ServiceMonitor ports, the KEDA target and trigger, the security settings, and the
 * PrometheusRule against conf/prometheus/alerts.yml.
 */
class KubernetesManifestsTest {

  private static final Path PROJECT = ComposeFileTest.PROJECT;
  private static final Path DIR = PROJECT.resolve("deploy/kubernetes");
  private static final Path VALIDATE = DIR.resolve("validate");
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** Applied by hand, once, with the real token: not part of the kustomization. */
  private static final String SECRET_EXAMPLE = "secret.example.yaml";
  private static final String IMAGE = "password-email-worker:0.1.0";
  /** Variables read by the JVM itself, not settings of the worker. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
  /** From SIGTERM to exit at most: SHUTDOWN_GRACE_MS, then 15 s to publish and commit, 10 s to close (Main). */
  private static final long SHUTDOWN_AFTER_GRACE_MS = 25_000;

  // ---------------------------------------------------------------- schema validation (node)

  @Test
  void everyManifestIsValidAgainstTheKubernetesAndCrdSchemas() {
    List<Path> manifests = manifestFiles();

    ExternalTool.Result result = validate(manifests);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains(manifests.size() + " documents in " + manifests.size() + " files: valid");
  }

  @Test
  void misspeltOrMistypedManifestsAreRejectedWithTheValidatorsMessage(@TempDir Path dir) throws IOException {
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put("liveness.yaml", ComposeFileTest.replaceOnce(read("deployment.yaml"), "livenessProbe:", "livenesProbe:"));
    broken.put("port.yaml", ComposeFileTest.replaceOnce(read("deployment.yaml"), "containerPort: 8080", "containerPort: \"http\""));
    broken.put("keda.yaml", ComposeFileTest.replaceOnce(read("scaledobject.yaml"), "maxReplicaCount: 6", "maxReplicasCount: 6"));
    broken.put("monitor.yaml", ComposeFileTest.replaceOnce(read("servicemonitor.yaml"), "path: /metrics", "pth: /metrics"));
    broken.put("rule.yaml", ComposeFileTest.replaceOnce(read("prometheusrule.yaml"), "    - name: password-email-worker\n", "    - nmae: password-email-worker\n"));
    broken.put("budget.yaml", ComposeFileTest.replaceOnce(read("poddisruptionbudget.yaml"), "AlwaysAllow", "Always"));
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> file : broken.entrySet()) {
      files.add(Files.writeString(dir.resolve(file.getKey()), file.getValue()));
    }

    ExternalTool.Result result = validate(files);

    String output = result.output();
    assertThat(result.exitCode()).as(output).isEqualTo(1);
    assertThat(output).as(output)
        .containsPattern("liveness\\.yaml:\\d+: Deployment/password-email-worker: spec\\.template\\.spec\\.containers\\[0\\]\\.livenesProbe: "
            + "Object literal may only specify known properties, and '\"livenesProbe\"' does not exist in type 'IContainer'")
        .containsPattern("port\\.yaml:\\d+: Deployment/password-email-worker: spec\\.template\\.spec\\.containers\\[0\\]\\.ports\\[0\\]\\.containerPort: must be integer")
        .containsPattern("keda\\.yaml:\\d+: ScaledObject/password-email-worker: spec\\.maxReplicasCount: .*does not exist in type 'IScaledObjectSpec'")
        .containsPattern("monitor\\.yaml:\\d+: ServiceMonitor/password-email-worker: spec\\.endpoints\\[0\\]\\.pth: .*does not exist in type 'IEndpoint'")
        .containsPattern("rule\\.yaml:\\d+: PrometheusRule/password-email-worker: spec\\.groups\\[0\\]\\.nmae: .*does not exist")
        .containsPattern("budget\\.yaml:\\d+: PodDisruptionBudget/password-email-worker: spec\\.unhealthyPodEvictionPolicy: must be equal to one of the allowed values");
    // The line named is the misspelt field's.
    Matcher line = Pattern.compile("liveness\\.yaml:(\\d+):").matcher(output);
    assertThat(line.find()).isTrue();
    assertThat(broken.get("liveness.yaml").lines().skip(Long.parseLong(line.group(1)) - 1).findFirst().orElse(""))
        .contains("livenesProbe:");
  }

  // ---------------------------------------------------------------- cross-references (YAML)

  @Test
  void theKustomizationAppliesEveryManifestButTheSecretExample() throws IOException {
    JsonNode kustomization = yaml("kustomization.yaml");
    Set<String> resources = new TreeSet<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    Set<String> manifests = new TreeSet<>();
    manifestFiles().forEach(p -> manifests.add(p.getFileName().toString()));
    manifests.remove(SECRET_EXAMPLE);

    assertThat(kustomization.path("apiVersion").asText()).isEqualTo("kustomize.config.k8s.io/v1beta1");
    assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
    assertThat(resources).isEqualTo(manifests);
  }

  @Test
  void probesAskTheHealthEndpointsOnTheHttpPort() throws IOException {
    JsonNode container = container();
    WorkerConfig config = workerConfig();
    JsonNode port = single(container.path("ports"));

    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("containerPort").asInt()).as("containerPort = HTTP_PORT").isEqualTo(config.get(dev.pew.config.Settings.HTTP_PORT));
    assertThat(probe(container, "livenessProbe")).isEqualTo("/health/live");
    assertThat(probe(container, "startupProbe")).isEqualTo("/health/live");
    assertThat(probe(container, "readinessProbe")).isEqualTo("/health/ready");
    // The endpoints the contract names.
    assertThat(Files.readString(PROJECT.resolve("docs/contract.md")))
        .contains("`GET /health/live`", "`GET /health/ready`", "`GET /metrics`");
  }

  @Test
  void everyEnvironmentNameIsASettingOfReadmesConfigurationTable() throws IOException {
    Set<String> documented = Markdown.tableNames(Files.readString(PROJECT.resolve("README.md")), "## Configuration");
    assertThat(documented).as("README's configuration table").contains("KAFKA_BOOTSTRAP_SERVERS", "XC_API_TOKEN_FILE", "HTTP_PORT");

    assertThat(environmentProblems(environmentNames(), documented)).isEmpty();
    assertThat(environmentProblems(List.of("MAX_INFLIGHT", "KAFKA_CONSUMER_MAX_POLL_RECORD", "HTTP_PORT"), documented))
        .hasSize(2).anyMatch(p -> p.contains("MAX_INFLIGHT")).anyMatch(p -> p.contains("KAFKA_CONSUMER_MAX_POLL_RECORD"));
  }

  @Test
  void theContainerEnvironmentPassesTheWorkersConfigLoader() throws IOException {
    LoadedConfig loaded = ConfigLoader.load(List.of(), containerEnvironment());

    assertThat(loaded.warnings()).noneMatch(w -> w.startsWith("ignoring environment variable"));
    assertThat(loaded.config().get(dev.pew.config.Settings.XC_ENDPOINT_URL).getScheme()).isEqualTo("https");
    assertThat(loaded.config().get(dev.pew.config.Settings.XC_API_TOKEN_FILE)).isPresent();
    JsonNode envFrom = single(container().path("envFrom"));
    assertThat(envFrom.path("configMapRef").path("name").asText()).isEqualTo(yaml("configmap.yaml").path("metadata").path("name").asText());
  }

  @Test
  void theTokenSecretIsMountedWhereXcApiTokenFilePoints() throws IOException {
    JsonNode container = container();
    JsonNode pod = podSpec();
    Path tokenFile = Path.of(env(container, "XC_API_TOKEN_FILE"));
    JsonNode secret = yaml(SECRET_EXAMPLE);
    JsonNode volume = byName(pod.path("volumes"), volumeMountedAt(container, tokenFile.getParent().toString()));

    assertThat(volume.path("secret").path("secretName").asText()).isEqualTo(secret.path("metadata").path("name").asText());
    assertThat(secret.path("stringData").has(tokenFile.getFileName().toString()))
        .as("the Secret's key is the file name of XC_API_TOKEN_FILE").isTrue();
    JsonNode mount = byName(container.path("volumeMounts"), volume.path("name").asText());
    assertThat(mount.has("subPath")).as("a subPath mount never sees a rotated Secret").isFalse();
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    assertThat(env(container, "XC_API_TOKEN")).as("no token in the environment").isNull();
    // The example is clearly one.
    assertThat(read(SECRET_EXAMPLE)).contains("EXAMPLE ONLY", "REPLACE-WITH-YOUR-F5-XC-API-TOKEN");
  }

  @Test
  void terminationGraceOutlastsTheWorkersOwnShutdown() throws IOException {
    long graceSeconds = podSpec().path("terminationGracePeriodSeconds").asLong(30);
    long shutdownGraceMs = workerConfig().get(dev.pew.config.Settings.SHUTDOWN_GRACE_MS);

    assertThat(graceSeconds * 1000).as("terminationGracePeriodSeconds * 1000 > SHUTDOWN_GRACE_MS").isGreaterThan(shutdownGraceMs);
    assertThat(graceSeconds * 1000).as("and above the 25 s the worker allows itself after it")
        .isGreaterThan(shutdownGraceMs + SHUTDOWN_AFTER_GRACE_MS);
  }

  @Test
  void selectorsServiceAndServiceMonitorMatch() throws IOException {
    JsonNode deployment = yaml("deployment.yaml");
    Map<String, String> podLabels = labels(deployment.path("spec").path("template").path("metadata").path("labels"));
    JsonNode service = yaml("service.yaml");
    JsonNode monitor = yaml("servicemonitor.yaml");
    JsonNode servicePort = single(service.path("spec").path("ports"));
    JsonNode endpoint = single(monitor.path("spec").path("endpoints"));

    assertThat(podLabels).containsAllEntriesOf(labels(deployment.path("spec").path("selector").path("matchLabels")));
    assertThat(podLabels).containsAllEntriesOf(labels(service.path("spec").path("selector")));
    assertThat(podLabels).containsAllEntriesOf(labels(yaml("poddisruptionbudget.yaml").path("spec").path("selector").path("matchLabels")));
    assertThat(labels(service.path("metadata").path("labels"))).containsAllEntriesOf(labels(monitor.path("spec").path("selector").path("matchLabels")));
    assertThat(servicePort.path("targetPort").asText()).as("Service targetPort names the container port").isEqualTo("http");
    assertThat(endpoint.path("port").asText()).as("ServiceMonitor port names the Service port").isEqualTo(servicePort.path("name").asText());
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(service.path("spec").path("publishNotReadyAddresses").asBoolean()).as("a holding (not ready) pod is still scraped").isTrue();
  }

  @Test
  void kedaScalesTheDeploymentOnTheWorkersGroupAndTopic() throws IOException {
    JsonNode scaled = yaml("scaledobject.yaml").path("spec");
    JsonNode deployment = yaml("deployment.yaml");
    JsonNode trigger = single(scaled.path("triggers"));
    JsonNode data = yaml("configmap.yaml").path("data");
    int min = scaled.path("minReplicaCount").asInt();
    int max = scaled.path("maxReplicaCount").asInt();

    assertThat(scaled.path("scaleTargetRef").path("kind").asText("Deployment")).isEqualTo("Deployment");
    assertThat(scaled.path("scaleTargetRef").path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
    assertThat(trigger.path("type").asText()).isEqualTo("kafka");
    assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(data.path("KAFKA_GROUP_ID").asText());
    assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo(data.path("TOPIC_INPUT").asText());
    assertThat(trigger.path("metadata").path("bootstrapServers").asText()).isEqualTo(data.path("KAFKA_BOOTSTRAP_SERVERS").asText());
    assertThat(trigger.path("metadata").path("allowIdleConsumers").asText()).as("no idle replicas in group mode").isEqualTo("false");
    assertThat(min).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(max);
    assertThat(deployment.path("spec").has("replicas")).as("KEDA owns the replica count").isFalse();
    assertThat(yaml("poddisruptionbudget.yaml").path("spec").path("maxUnavailable").asInt()).isLessThan(min);
  }

  @Test
  void thePodRunsLockedDown() throws IOException {
    JsonNode pod = podSpec();
    JsonNode container = container();
    JsonNode security = container.path("securityContext");

    assertThat(container.path("image").asText()).isEqualTo(IMAGE);
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asText()).as("the Dockerfile's USER")
        .isEqualTo(dockerfileUser());
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(byName(pod.path("volumes"), volumeMountedAt(container, "/tmp")).has("emptyDir")).as("a writable /tmp").isTrue();
  }

  @Test
  void theHeapFitsTheMemoryLimit() throws IOException {
    JsonNode container = container();
    Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(String.valueOf(env(container, "JAVA_TOOL_OPTIONS")));
    Matcher limit = Pattern.compile("(\\d+)Mi").matcher(container.path("resources").path("limits").path("memory").asText());

    assertThat(xmx.find()).as("JAVA_TOOL_OPTIONS sets -Xmx in MiB").isTrue();
    assertThat(limit.matches()).as("memory limit in Mi").isTrue();
    // The benchmarks' RSS under -Xmx128m reached 291 MiB: the heap is well under half the rest.
    assertThat(Long.parseLong(limit.group(1))).isGreaterThanOrEqualTo(291 + 64).isGreaterThan(2 * Long.parseLong(xmx.group(1)));
    assertThat(container.path("resources").path("requests").path("memory")).isEqualTo(container.path("resources").path("limits").path("memory"));
  }

  @Test
  void thePrometheusRuleCarriesExactlyTheAlertRules() throws IOException {
    String current = read("prometheusrule.yaml");
    String expected = prometheusRule(current, Files.readString(PROJECT.resolve("conf/prometheus/alerts.yml")));

    if (!current.equals(expected)) {
      Path generated = PROJECT.resolve("target/prometheusrule.yaml");
      Files.createDirectories(generated.getParent());
      Files.writeString(generated, expected);
      fail("deploy/kubernetes/prometheusrule.yaml differs from conf/prometheus/alerts.yml; the up-to-date file is "
          + generated + ": cp " + PROJECT.relativize(generated) + " deploy/kubernetes/prometheusrule.yaml");
    }
    assertThat(YAML.readTree(current).path("spec").path("groups"))
        .isEqualTo(YAML.readTree(PROJECT.resolve("conf/prometheus/alerts.yml").toFile()).path("groups"));
  }

  // ---------------------------------------------------------------- helpers

  /** The PrometheusRule: its header as it is (up to "spec:"), then alerts.yml from "groups:" indented under spec. */
  static String prometheusRule(String current, String alerts) {
    int spec = current.indexOf("\nspec:\n");
    assertThat(spec).as("prometheusrule.yaml has a spec: line").isPositive();
    StringBuilder out = new StringBuilder(current.substring(0, spec + "\nspec:\n".length()));
    alerts.substring(alerts.indexOf("groups:")).lines()
        .forEach(line -> out.append(line.isBlank() ? "" : "  " + line).append('\n'));
    return out.toString();
  }

  private static List<String> environmentProblems(List<String> names, Set<String> documented) {
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      if (documented.contains(name) || JVM_VARIABLES.contains(name)) {
        continue;
      }
      if (name.startsWith("KAFKA_")) {
        // Kafka client properties pass through (README: KAFKA_<NAME>); they must name a real one.
        ComposeFileTest.KnownKeys.environmentProblem(name).ifPresent(problems::add);
      } else {
        problems.add(name + ": not in README's configuration table (the worker would ignore it; check the spelling)");
      }
    }
    return problems;
  }

  /** The names the container gets: the ConfigMap's keys (envFrom) and its own env entries. */
  private static List<String> environmentNames() throws IOException {
    List<String> names = new ArrayList<>();
    yaml("configmap.yaml").path("data").fieldNames().forEachRemaining(names::add);
    container().path("env").forEach(e -> names.add(e.path("name").asText()));
    return names;
  }

  /** The container's environment as the worker sees it, the token file replaced by a real one. */
  private static Map<String, String> containerEnvironment() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    yaml("configmap.yaml").path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    container().path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    Path token = Files.createTempFile("pew-token-", "");
    token.toFile().deleteOnExit();
    Files.writeString(token, "token\n");
    env.put("XC_API_TOKEN_FILE", token.toString());
    return env;
  }

  private static WorkerConfig workerConfig() throws IOException {
    return ConfigLoader.load(List.of(), containerEnvironment()).config();
  }

  private static String dockerfileUser() {
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)").matcher(ComposeFileTest.read("Dockerfile"));
    assertThat(user.find()).as("Dockerfile USER").isTrue();
    return user.group(1);
  }

  private static String probe(JsonNode container, String probe) {
    JsonNode get = container.path(probe).path("httpGet");
    assertThat(get.path("port").asText()).as(probe + " port").isEqualTo("http");
    assertThat(container.path(probe).path("timeoutSeconds").asInt(1)).as(probe + " timeout (health answers within 100 ms)").isGreaterThanOrEqualTo(1);
    return get.path("path").asText();
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    return null;
  }

  private static String volumeMountedAt(JsonNode container, String mountPath) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(mountPath)) {
        return mount.path("name").asText();
      }
    }
    return fail("no volume mounted at " + mountPath);
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode item : list) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    return fail("no entry named " + name + " in " + list);
  }

  private static JsonNode single(JsonNode list) {
    assertThat(list.size()).as("entries in " + list).isEqualTo(1);
    return list.get(0);
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    assertThat(labels).as("labels").isNotEmpty();
    return labels;
  }

  private static JsonNode podSpec() throws IOException {
    return yaml("deployment.yaml").path("spec").path("template").path("spec");
  }

  private static JsonNode container() throws IOException {
    return single(podSpec().path("containers"));
  }

  private static JsonNode yaml(String name) throws IOException {
    return YAML.readTree(DIR.resolve(name).toFile());
  }

  private static String read(String name) {
    try {
      return Files.readString(DIR.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every manifest of the folder: its *.yaml files but the kustomization. */
  private static List<Path> manifestFiles() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- the node validator

  private static ExternalTool.Result validate(List<Path> files) {
    Path node = ExternalTool.require("node", "the Kubernetes manifest validator");
    Path validator = installedValidator();
    List<String> command = new ArrayList<>(List.of(node.toString(), validator.resolve("validate.mjs").toString()));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    return ExternalTool.run(validator, 180, command);
  }

  /**
   * Where the validator runs: deploy/kubernetes/validate when its node_modules is there (someone ran
   * npm ci in it), else a copy in target/k8s-validate, installed with npm ci from the pinned lock file
   * once (again only when the lock changes), so later runs work offline.
   */
  private static synchronized Path installedValidator() {
    if (Files.isDirectory(VALIDATE.resolve("node_modules"))) {
      return VALIDATE;
    }
    Path npm = ExternalTool.require("npm", "the Kubernetes manifest validator's installation");
    Path target = PROJECT.resolve("target/k8s-validate");
    try {
      Files.createDirectories(target);
      boolean lockChanged = !Files.exists(target.resolve("package-lock.json"))
          || Files.mismatch(VALIDATE.resolve("package-lock.json"), target.resolve("package-lock.json")) >= 0;
      for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
        Files.copy(VALIDATE.resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      if (lockChanged || !Files.isDirectory(target.resolve("node_modules"))) {
        ExternalTool.Result install = ExternalTool.run(target, 600,
            List.of(npm.toString(), "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"));
        if (install.exitCode() != 0) {
          Files.deleteIfExists(target.resolve("package-lock.json"));
          fail("npm ci of the manifest validator failed:\n" + install.output());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
