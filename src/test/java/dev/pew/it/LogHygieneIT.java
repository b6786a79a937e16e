package dev.pew.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.ProductionLoggingMain;
import dev.pew.testing.TestCertificates;
import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker process's whole output, with the logging configuration it ships, in both formats, over
 * a run that provokes every kind of log line (start-up with the configuration, sent, failed, invalid
 * records, retries, a refused credential and its recovery, SIGTERM): no API token, no certificate
 * password, no {@code Authorization} value, no whole email address; and with {@code LOG_FORMAT=json}
 * every line is one JSON object.
 *
 * <p>The API is reached over TLS with mutual TLS (the F5 API certificate path), so the certificate
 * options are part of what is logged at start-up.
 */
@ExtendWith(VertxExtension.class)
class LogHygieneIT {

  private static final String TOKEN = "tok-LogHygiene-9f2c71d0e5a4";
  private static final String P12_PASSWORD = "p12pw-LogHygiene-b7e4a3c1";
  /** A whole address at the test domain: a local part not ending in the mask's asterisks. */
  private static final Pattern WHOLE_EMAIL = Pattern.compile("[^\\s\"*]+@example\\.com");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path certDir;
  private static TestCertificates.Certs certs;
  private static Path clientP12;

  @TempDir
  Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.generate(certDir);
    // The test kit gives every store one shared password; the worker gets a distinctive one, so a
    // leak of exactly that value can be searched for.
    clientP12 = certDir.resolve("client-distinct.p12");
    rewrap(certs.clientP12(), certs.password(), clientP12, P12_PASSWORD);
  }

  @Test
  void textLogsCarryNoSecretAndNoWholeEmailAddress(Vertx vertx) {
    String output = runProvokingEveryLogLine(vertx, "text");
    assertHygiene(output);
    // One line per event that has something to say, naming it by id and Kafka coordinates.
    assertThat(linesAbout(output, "evt-gone")).singleElement().satisfies(l -> assertThat(l)
        .containsPattern("WARN .*event evt-gone \\(in-[^ ]+-0@\\d+\\) to g\\*\\*\\*@example\\.com: failed as NOT_FOUND after \\d+ attempt"));
  }

  @Test
  void jsonLogsAreOneObjectPerLineAndCarryNoSecretAndNoWholeEmailAddress(Vertx vertx) throws Exception {
    String output = runProvokingEveryLogLine(vertx, "json");
    assertHygiene(output);
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSizeGreaterThan(5);
    for (String line : lines) {
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (Exception e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.has("level") && node.has("formattedMessage") && node.has("timestamp")).as(line).isTrue();
    }
    List<String> gone = linesAbout(output, "evt-gone");
    assertThat(gone).hasSize(1);
    JsonNode line = JSON.readTree(gone.get(0));
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("formattedMessage").asText())
        .containsPattern("event evt-gone \\(in-[^ ]+-0@\\d+\\) to g\\*\\*\\*@example\\.com");
    // The event's coordinates are fields of their own, for log queries.
    assertThat(line.path("kvpList").toString()).contains("\"eventId\":\"evt-gone\"").contains("\"partition\":\"0\"")
        .contains("\"offset\":");
  }

  /**
   * Upstream systems sometimes use the address itself as the event id (this project's own
   * OutcomeTableIT does); the worker's log lines name events by id, so the id must be masked too.
   */
  @Test
  void anEventIdThatIsAnEmailAddressIsNotLoggedWhole(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      String email = "id.is.the.address@example.com";
      h.sim.respond(email, 404, -1, null);
      h.send(email, "{\"eventId\":\"" + email + "\",\"email\":\"" + email + "\"}");
      Map<String, String> env = baseEnv(h, "text");
      try (WorkerProcess worker = WorkerProcess.startMain(ProductionLoggingMain.class.getName(), env, dir.resolve("id.log"))) {
        h.awaitResults(1, Duration.ofSeconds(30));
        worker.awaitOutput("NOT_FOUND", Duration.ofSeconds(10));
        assertThat(wholeEmails(worker.output())).as(worker.output()).isEmpty();
      }
    }
  }

  private String runProvokingEveryLogLine(Vertx vertx, String format) {
    SimulatorOptions tls = new SimulatorOptions()
        .keyStoreP12(certs.serverP12()).keyStorePassword(certs.password())
        .trustStoreP12(certs.serverTrustP12()).trustStorePassword(certs.password());
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, tls)) {
      // A credential refusal first: the worker holds, then recovers once the API accepts the token.
      h.sim.acceptToken("not-" + TOKEN);
      h.sim.respond("gone.person@example.com", 404, -1, null);
      h.sim.respond("flaky.person@example.com", 503, 2, null);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        records.add(record(h.input, "alice.sent" + i + "@example.com", "{\"eventId\":\"evt-sent-" + i
            + "\",\"cname\":\"acme\",\"email\":\"alice.sent" + i + "@example.com\"}"));
      }
      records.add(record(h.input, "gone.person@example.com", "{\"eventId\":\"evt-gone\",\"email\":\"gone.person@example.com\"}"));
      records.add(record(h.input, "flaky.person@example.com", "{\"eventId\":\"evt-flaky\",\"email\":\"flaky.person@example.com\"}"));
      // Invalid records whose values hold an address: the log must not quote them.
      records.add(record(h.input, "broken.person@example.com",
          "{\"eventId\":\"evt-bad-cname\",\"email\":\"broken.person@example.com\",\"cname\":\"Not A DNS Name!\"}"));
      records.add(record(h.input, "raw.person@example.com", "not JSON at all, mail raw.person@example.com"));
      records.add(record(h.input, "spaced.person@example.com", "{\"eventId\":\"evt-bad-email\",\"email\":\"spaced person@example.com\"}"));
      h.kafka.sendAll(records);
      int n = records.size();

      Map<String, String> env = baseEnv(h, format);
      env.put("XC_API_TOKEN", TOKEN);
      env.put("XC_CLIENT_P12", clientP12.toString());
      env.put("XC_CLIENT_P12_PASSWORD", P12_PASSWORD);
      env.put("XC_CA_FILE", certs.serverCertPem().toString());
      env.put("STATUS_INTERVAL_MS", "500");
      try (WorkerProcess worker = WorkerProcess.startMain(ProductionLoggingMain.class.getName(), env,
          dir.resolve("worker-" + format + ".log"))) {
        worker.awaitOutput("refused the credential", Duration.ofSeconds(30));
        h.sim.acceptToken(TOKEN);
        h.awaitResults(n, Duration.ofSeconds(30));
        h.awaitAllCommitted(Duration.ofSeconds(15));
        assertThat(h.kafka.count(h.sent)).isEqualTo(6);
        // Besides the 401s while the token was refused: two 503s, then accepted.
        assertThat(h.sim.calls()).filteredOn(c -> c.email().equals("flaky.person@example.com") && c.status() != 401)
            .extracting(c -> c.status()).containsExactly(503, 503, 200);
        // Every call carried the token over mutual TLS (401s while refused, then accepted).
        assertThat(h.sim.calls()).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("APIToken " + TOKEN));
        worker.awaitOutput("status:", Duration.ofSeconds(5));

        worker.terminate();
        assertThat(worker.waitFor(Duration.ofSeconds(30))).as(worker.output()).isZero();
        String output = worker.output();
        // Texts of the log templates (the JSON encoder writes the template and its arguments apart).
        assertThat(output).contains("configuration", "refused the credential", "answers again",
            "invalid event", "NOT_FOUND", "SIGTERM", "exiting with code 0");
        System.out.println("---- LOG_FORMAT=" + format + ": lines about evt-gone, evt-flaky, evt-bad-cname, evt-sent-0 ----");
        for (String id : List.of("evt-gone", "evt-flaky", "evt-bad-cname", "evt-sent-0")) {
          System.out.println(id + ": " + linesAbout(output, id));
        }
        System.out.println("---- LOG_FORMAT=" + format + ": whole output ----");
        System.out.println(output);
        return output;
      }
    }
  }

  private static void assertHygiene(String output) {
    assertThat(output).as("API token").doesNotContain(TOKEN);
    assertThat(output).as("Authorization header value").doesNotContain("APIToken ");
    assertThat(output).as("client certificate password").doesNotContain(P12_PASSWORD);
    assertThat(wholeEmails(output)).as("whole email addresses in the log").isEmpty();
  }

  private static List<String> wholeEmails(String output) {
    List<String> found = new ArrayList<>();
    Matcher m = WHOLE_EMAIL.matcher(output);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  private static List<String> linesAbout(String output, String eventId) {
    return output.lines().filter(l -> l.contains("event " + eventId + " ")).toList();
  }

  private static Map<String, String> baseEnv(WorkerHarness h, String format) {
    Map<String, String> env = h.processEnv();
    env.put("LOG_FORMAT", format);
    return env;
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(topic, KafkaTestClient.bytes(key), KafkaTestClient.bytes(value));
  }

  /** Copies a PKCS#12 key pair under a new store and key password. */
  private static void rewrap(Path from, String oldPassword, Path to, String newPassword) throws Exception {
    KeyStore in = KeyStore.getInstance("PKCS12");
    try (InputStream s = Files.newInputStream(from)) {
      in.load(s, oldPassword.toCharArray());
    }
    KeyStore out = KeyStore.getInstance("PKCS12");
    out.load(null, null);
    String alias = in.aliases().nextElement();
    Key key = in.getKey(alias, oldPassword.toCharArray());
    out.setKeyEntry(alias, key, newPassword.toCharArray(), in.getCertificateChain(alias));
    try (OutputStream s = Files.newOutputStream(to)) {
      out.store(s, newPassword.toCharArray());
    }
  }
}
