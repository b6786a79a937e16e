package dev.pew.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for TLS and mutual-TLS tests, made with the running JDK's {@code keytool}
 * (so no extra dependency): a server key pair for {@code localhost}/{@code 127.0.0.1}, a client key
 * pair, a trust store each way, and the server certificate as PEM. All PKCS#12, one password,
 * valid for two days. Takes a few seconds (one keytool process per step): generate once per test
 * class.
 *
 * <p>Stateless and thread-safe; each call writes only into its own {@code dir}.
 */
public final class TestCertificates {

  private static final String PASSWORD = "pew-test-secret";

  private TestCertificates() {}

  /**
   * The generated files.
   *
   * @param serverP12 server key pair, CN=localhost, SAN ip:127.0.0.1 and dns:localhost
   * @param clientP12 client key pair, CN=pew-test-client
   * @param serverTrustP12 for the server: trusts the client certificate
   * @param clientTrustP12 for the client: trusts the server certificate
   * @param serverCertPem the server certificate, PEM
   * @param password the password of every PKCS#12 file and key
   */
  public record Certs(Path serverP12, Path clientP12, Path serverTrustP12, Path clientTrustP12, Path serverCertPem,
      String password) {}

  /** Writes the certificates into {@code dir} (which must exist, typically a JUnit {@code @TempDir}). */
  public static Certs generate(Path dir) {
    Certs certs = new Certs(dir.resolve("server.p12"), dir.resolve("client.p12"), dir.resolve("server-trust.p12"),
        dir.resolve("client-trust.p12"), dir.resolve("server.pem"), PASSWORD);
    Path clientPem = dir.resolve("client.pem");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", certs.serverP12().toString(), "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=pew-test-client",
        "-storetype", "PKCS12", "-keystore", certs.clientP12().toString(), "-storepass", PASSWORD,
        "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", certs.serverP12().toString(),
        "-storepass", PASSWORD, "-file", certs.serverCertPem().toString());
    keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", certs.clientP12().toString(),
        "-storepass", PASSWORD, "-file", clientPem.toString());
    keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientPem.toString(),
        "-storetype", "PKCS12", "-keystore", certs.serverTrustP12().toString(), "-storepass", PASSWORD);
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", certs.serverCertPem().toString(),
        "-storetype", "PKCS12", "-keystore", certs.clientTrustP12().toString(), "-storepass", PASSWORD);
    return certs;
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived tool: skip the optimising compiler, it only costs start-up time.
    command.add("-J-XX:TieredStopAtLevel=1");
    command.add("-J-XX:+UseSerialGC");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool " + args[0] + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed (" + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
