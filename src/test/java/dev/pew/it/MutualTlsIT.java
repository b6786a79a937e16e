package dev.pew.it;

import static dev.pew.config.Settings.*;
import dev.pew.config.TestConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.WorkerConfig;
import dev.pew.event.ErrorCategory;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.TestCertificates;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API connection as the worker makes it: mutual TLS with the F5 API certificate
 * (XC_CLIENT_P12) against a server trusted through XC_CA_FILE; without the certificate the
 * handshake fails and the events end RETRIES_EXHAUSTED naming TLS; HTTP/2 when the API offers it
 * by ALPN, HTTP/1.1 otherwise; and kept-alive connections on plain http.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class MutualTlsIT {

  @TempDir
  static Path dir;
  private static TestCertificates.Certs certs;

  @BeforeAll
  static void generateCertificates() {
    certs = TestCertificates.generate(dir);
  }

  @Test
  void sendsOverMutualTlsWithTheClientCertificateUsingHttp2WhenOffered(Vertx vertx) {
    SimulatorOptions api = mutualTls().http2(true).latency(Duration.ofMillis(20), Duration.ofMillis(20));
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, api)) {
      int n = 80;
      h.backlog("mtls", n);
      h.deploy(withClientCertificate(h.config()).with(MAX_IN_FLIGHT, 8).build());
      h.awaitResults(n, Duration.ofSeconds(30));

      assertAllSent(h, n);
      List<XcSimulator.Call> calls = h.sim.calls();
      Map<HttpVersion, Long> versions = versions(calls);
      System.out.printf("MEASURED MutualTlsIT mTLS+h2 offered: calls=%d versions=%s connections=%d peakConcurrent=%d%n",
          calls.size(), versions, h.sim.connections(), h.sim.peakConcurrent());
      assertThat(h.sim.url()).startsWith("https://");
      assertThat(versions).containsOnlyKeys(HttpVersion.HTTP_2);
      // One multiplexed connection carries the calls (the pool allows one per 100 streams), and
      // multiplexing does not cap the concurrency below MAX_IN_FLIGHT.
      assertThat(h.sim.connections()).isLessThanOrEqualTo(2);
      assertThat(h.sim.peakConcurrent()).isEqualTo(8);
    }
  }

  @Test
  void usesHttp11OverTlsWhenTheApiDoesNotOfferHttp2(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, mutualTls())) {
      int n = 40;
      h.backlog("h1", n);
      h.deploy(withClientCertificate(h.config()).with(MAX_IN_FLIGHT, 8).build());
      h.awaitResults(n, Duration.ofSeconds(30));

      assertAllSent(h, n);
      List<XcSimulator.Call> calls = h.sim.calls();
      System.out.printf("MEASURED MutualTlsIT mTLS http/1.1 only: calls=%d versions=%s connections=%d%n",
          calls.size(), versions(calls), h.sim.connections());
      assertThat(versions(calls)).containsOnlyKeys(HttpVersion.HTTP_1_1);
      assertThat(h.sim.connections()).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void failsEveryAttemptAtTheHandshakeWithoutTheClientCertificate(Vertx vertx) {
    for (boolean http2 : new boolean[] {false, true}) {
      List<ResultEvent> failed = withoutClientCertificate(vertx, http2);
      assertThat(failed).hasSize(3).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.error().orElseThrow().category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
        assertThat(r.error().orElseThrow().retryable()).isTrue();
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.httpStatus()).isNull();
      });
    }
  }

  @Test
  void namesTlsWhenTheHandshakeFailsWithoutTheClientCertificate(Vertx vertx) {
    for (boolean http2 : new boolean[] {false, true}) {
      assertThat(withoutClientCertificate(vertx, http2)).as("API offers HTTP/2: %s", http2).hasSize(3)
          .allSatisfy(r -> assertThat(r.error().orElseThrow().message()).contains("TLS"));
    }
  }

  /** Three events against the mutual-TLS API from a worker that trusts the server but has no certificate. */
  private static List<ResultEvent> withoutClientCertificate(Vertx vertx, boolean http2) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, mutualTls().http2(http2))) {
      int n = 3;
      h.backlog("nocert", n);
      h.deploy(h.config()
          .with(XC_CA_FILE, certs.serverCertPem()) // the server is trusted; only the client certificate is missing
          .with(MAX_ATTEMPTS, 2)
          .with(HOLD_AFTER_FAILURES, 0)
          .build());
      h.awaitResults(n, Duration.ofSeconds(30));

      List<ResultEvent> failed = h.results(h.failed);
      System.out.printf("MEASURED MutualTlsIT no client certificate (API offers h2: %s): results=%s callsSeenByApi=%d%n",
          http2, failed.stream().map(r -> r.eventId() + ":" + r.error().map(e -> e.category() + " '" + e.message() + "'")
              .orElse("-") + " attempts=" + r.attempts()).toList(), h.sim.totalCalls());
      assertThat(h.results(h.sent)).isEmpty();
      assertThat(h.sim.totalCalls()).as("no request got past the handshake").isZero();
      return failed;
    }
  }

  @Test
  void reusesKeptAliveConnectionsOnPlainHttp(Vertx vertx) {
    SimulatorOptions plain = new SimulatorOptions().latency(Duration.ofMillis(5), Duration.ofMillis(5));
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, plain)) {
      int n = 200;
      int maxInFlight = 8;
      h.backlog("ka", n);
      h.deploy(h.config().with(MAX_IN_FLIGHT, maxInFlight).build());
      h.awaitResults(n, Duration.ofSeconds(30));

      assertAllSent(h, n);
      List<XcSimulator.Call> calls = h.sim.calls();
      System.out.printf("MEASURED MutualTlsIT plain http keep-alive: calls=%d versions=%s connections=%d%n",
          calls.size(), versions(calls), h.sim.connections());
      assertThat(versions(calls)).containsOnlyKeys(HttpVersion.HTTP_1_1);
      assertThat(h.sim.connections()).as("connections for %d calls", n).isLessThanOrEqualTo(maxInFlight);
    }
  }

  private static SimulatorOptions mutualTls() {
    return new SimulatorOptions()
        .keyStoreP12(certs.serverP12()).keyStorePassword(certs.password())
        .trustStoreP12(certs.serverTrustP12()).trustStorePassword(certs.password());
  }

  private static TestConfig withClientCertificate(TestConfig config) {
    return config.with(XC_CLIENT_P12, certs.clientP12()).with(XC_CLIENT_P12_PASSWORD, certs.password()).with(XC_CA_FILE, certs.serverCertPem());
  }

  private static Map<HttpVersion, Long> versions(List<XcSimulator.Call> calls) {
    return calls.stream().collect(Collectors.groupingBy(XcSimulator.Call::httpVersion, Collectors.counting()));
  }

  private static void assertAllSent(WorkerHarness h, int n) {
    assertThat(h.results(h.failed)).isEmpty();
    assertThat(h.results(h.sent)).extracting(ResultEvent::eventId).doesNotHaveDuplicates().hasSize(n);
  }

}
