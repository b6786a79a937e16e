package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;

import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A refused API token (401) with ON_AUTH_FAILURE=hold: the worker holds instead of failing events,
 * reports not-ready naming the credential, logs the problem once as an error; writing the right
 * token into XC_API_TOKEN_FILE heals it within seconds, without a restart, and every event is sent.
 * No log line ever carries a token.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class CredentialRotationIT {

  private static final int BACKLOG = 50;
  // Distinctive values, so that a token showing up in a log line cannot be missed.
  private static final String GOOD = "good-" + UUID.randomUUID();
  private static final String BAD = "bad-" + UUID.randomUUID();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void captureLogs() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
    logs.stop();
  }

  @Test
  void holdsOnARefusedTokenAndHealsWhenTheTokenFileIsRotated(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2, new SimulatorOptions().acceptedToken(GOOD))) {
      Path tokenFile = dir.resolve("xc-api-token");
      Files.writeString(tokenFile, BAD + "\n");
      h.backlog("cred", BACKLOG);
      // The default backoff (probes 0.5 to 30 s apart): healing must not wait for the next probe,
      // a rotated token is tried at once.
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 16).with(BACKOFF_INITIAL_MS, 500).with(BACKOFF_MAX_MS, 30_000)
          .with(XC_API_TOKEN_FILE, tokenFile).build());
      String readyUrl = "http://127.0.0.1:" + worker.opsPort() + "/health/ready";
      // The worker and its operator endpoints (a deployment of their own).
      java.util.Set<String> deployed = java.util.Set.copyOf(h.vertx.deploymentIDs());

      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> "CREDENTIALS".equals(holding(readiness(readyUrl))));
      // It keeps holding, and fails nothing, for as long as the token is wrong.
      Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            Readiness r = readiness(readyUrl);
            return r.status == 503 && "CREDENTIALS".equals(holding(r)) && h.kafka.count(h.failed) == 0;
          });
      long refusedBeforeRotation = h.sim.statusCounts().getOrDefault(401, 0L);
      assertThat(h.kafka.count(h.sent)).as("nothing gets through with the refused token").isZero();

      // Rotate the secret the way a mounted secret changes: the new file replaces the old one at once.
      Path next = dir.resolve("xc-api-token.next");
      Files.writeString(next, GOOD + "\n");
      Files.move(next, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      long rotatedAt = System.nanoTime();

      // The file is checked once a second; then one probe, then full speed.
      h.awaitResults(BACKLOG, Duration.ofSeconds(5));
      long allDoneAfterMs = (System.nanoTime() - rotatedAt) / 1_000_000;
      Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> readiness(readyUrl).status == 200);
      h.awaitAllCommitted(Duration.ofSeconds(15));

      assertThat(h.results(h.failed)).as("FAILED results").isEmpty();
      assertThat(h.results(h.sent)).extracting(ResultEvent::eventId).doesNotHaveDuplicates().hasSize(BACKLOG);
      List<XcSimulator.Call> accepted = h.sim.calls().stream().filter(c -> c.status() == 200).toList();
      assertThat(accepted).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("APIToken " + GOOD));
      assertThat(h.vertx.deploymentIDs()).as("the same deployments, no restart").containsExactlyInAnyOrderElementsOf(deployed);

      List<ILoggingEvent> events = captured();
      List<ILoggingEvent> workerErrors = events.stream()
          .filter(e -> e.getLevel() == Level.ERROR && e.getLoggerName().startsWith("dev.pew")).toList();
      System.out.printf("MEASURED CredentialRotationIT: 401s before rotation=%d, 401s total=%d, all SENT %d ms after "
              + "rotation, worker ERROR lines=%d: %s%n",
          refusedBeforeRotation, h.sim.statusCounts().getOrDefault(401, 0L), allDoneAfterMs, workerErrors.size(),
          workerErrors.stream().map(ILoggingEvent::getFormattedMessage).toList());
      assertThat(workerErrors).as("one clear error about the credential").hasSize(1);
      assertThat(workerErrors.get(0).getFormattedMessage()).contains("refused the credential");
      assertThat(events).filteredOn(e -> e.getFormattedMessage().contains("changed: using the new token")).hasSize(1);
      assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith("worker ") && e.getFormattedMessage().contains(" started"))
          .as("started once").hasSize(1);
      for (ILoggingEvent e : events) {
        String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
        assertThat(line).as("log line from %s", e.getLoggerName()).doesNotContain(GOOD).doesNotContain(BAD);
      }
    }
  }

  private List<ILoggingEvent> captured() {
    synchronized (logs) { // AppenderBase appends under this lock
      return new ArrayList<>(logs.list);
    }
  }

  private record Readiness(int status, JsonObject body) {}

  private static String holding(Readiness r) {
    JsonArray checks = r.body.getJsonArray("checks", new JsonArray());
    for (int i = 0; i < checks.size(); i++) {
      JsonObject check = checks.getJsonObject(i);
      if ("api".equals(check.getString("id"))) {
        return check.getJsonObject("data", new JsonObject()).getString("holding");
      }
    }
    return null;
  }

  private Readiness readiness(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Readiness(r.statusCode(), r.body().isBlank() ? new JsonObject() : new JsonObject(r.body()));
  }

}
