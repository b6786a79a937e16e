package dev.pew.sim;

import static dev.pew.sim.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pew.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** With a key store the simulator speaks HTTPS; with a trust store it also requires a client certificate. */
@ExtendWith(VertxExtension.class)
@Timeout(30) // certificate generation runs several keytool processes
class XcSimulatorMutualTlsTest {

  private static final String EMAIL = "hello@example.com";

  @TempDir
  static Path dir;
  private static TestCertificates.Certs certs;

  @BeforeAll
  static void generateCertificates() {
    certs = TestCertificates.generate(dir);
  }

  @Test
  void answersClientWithCertificateThatTrustsTheServer(Vertx vertx) {
    XcSimulator sim = await(XcSimulator.start(vertx, mutualTls()));
    try {
      SimClient client = new SimClient(vertx, sim, trustingServer().setKeyCertOptions(
          new PfxOptions().setPath(certs.clientP12().toString()).setPassword(certs.password())));

      assertThat(sim.url()).startsWith("https://127.0.0.1:");
      assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
    } finally {
      await(sim.close());
    }
  }

  @Test
  void failsClientWithoutCertificate(Vertx vertx) {
    XcSimulator sim = await(XcSimulator.start(vertx, mutualTls()));
    try {
      SimClient client = new SimClient(vertx, sim, trustingServer());

      assertThatThrownBy(() -> client.call(EMAIL)).isInstanceOf(IllegalStateException.class);
      assertThat(sim.totalCalls()).isZero();
    } finally {
      await(sim.close());
    }
  }

  @Test
  void answersOverPlainTlsWithoutClientCertificateWhenNoTrustStore(Vertx vertx) {
    XcSimulator sim = await(XcSimulator.start(vertx, new SimulatorOptions()
        .keyStoreP12(certs.serverP12()).keyStorePassword(certs.password())));
    try {
      assertThat(new SimClient(vertx, sim, trustingServer()).call(EMAIL).statusCode()).isEqualTo(200);
    } finally {
      await(sim.close());
    }
  }

  private static SimulatorOptions mutualTls() {
    return new SimulatorOptions()
        .keyStoreP12(certs.serverP12()).keyStorePassword(certs.password())
        .trustStoreP12(certs.serverTrustP12()).trustStorePassword(certs.password());
  }

  private static WebClientOptions trustingServer() {
    WebClientOptions options = new WebClientOptions();
    options.setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.serverCertPem().toString()));
    return options;
  }
}
