package dev.pew.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How an {@link XcSimulator} starts, and what {@link XcSimulator#reset()} returns it to.
 *
 * <p>Mutable with fluent setters and sensible defaults (plain HTTP on an ephemeral loopback port,
 * no latency, no auth, magic emails on). {@link XcSimulator#start} takes a copy, so changing an
 * instance afterwards does not affect a running simulator.
 *
 * <p>Not thread-safe: build it on one thread, then hand it over.
 */
public final class SimulatorOptions {

  /** The seed used when none is set, so that two runs with the same calls behave the same. */
  public static final long DEFAULT_SEED = 0x5EEDL;

  private String host = "127.0.0.1";
  private int port = 0;
  private Duration minLatency = Duration.ZERO;
  private Duration maxLatency = Duration.ZERO;
  private Path keyStoreP12;
  private String keyStorePassword;
  private Path trustStoreP12;
  private String trustStorePassword;
  private boolean http2;
  private String acceptedToken;
  private boolean magicEmails = true;
  private long seed = DEFAULT_SEED;
  private double failRate = 0.0;
  private int failStatus = 503;
  private int callHistoryLimit = 100_000;
  private LongSupplier nanoClock = System::nanoTime;

  public SimulatorOptions() {}

  /** A copy of {@code other}. */
  public SimulatorOptions(SimulatorOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.minLatency = other.minLatency;
    this.maxLatency = other.maxLatency;
    this.keyStoreP12 = other.keyStoreP12;
    this.keyStorePassword = other.keyStorePassword;
    this.trustStoreP12 = other.trustStoreP12;
    this.trustStorePassword = other.trustStorePassword;
    this.http2 = other.http2;
    this.acceptedToken = other.acceptedToken;
    this.magicEmails = other.magicEmails;
    this.seed = other.seed;
    this.failRate = other.failRate;
    this.failStatus = other.failStatus;
    this.callHistoryLimit = other.callHistoryLimit;
    this.nanoClock = other.nanoClock;
  }

  /**
   * Checks every value and returns this.
   *
   * @throws IllegalArgumentException naming the first option that is wrong and why
   */
  public SimulatorOptions validate() {
    require(host != null && !host.isBlank(), "host must not be blank");
    require(port >= 0 && port <= 65535, "port must be 0..65535 (0 = ephemeral), got " + port);
    require(minLatency != null && !minLatency.isNegative(), "minLatency must be >= 0");
    require(maxLatency != null && maxLatency.compareTo(minLatency) >= 0, "maxLatency must be >= minLatency");
    if (keyStoreP12 != null) {
      require(Files.isReadable(keyStoreP12), "keyStoreP12 is not a readable file: " + keyStoreP12);
      require(keyStorePassword != null, "keyStorePassword is required with keyStoreP12");
    }
    if (trustStoreP12 != null) {
      require(keyStoreP12 != null, "trustStoreP12 (mutual TLS) needs keyStoreP12 (TLS)");
      require(Files.isReadable(trustStoreP12), "trustStoreP12 is not a readable file: " + trustStoreP12);
      require(trustStorePassword != null, "trustStorePassword is required with trustStoreP12");
    }
    require(!http2 || keyStoreP12 != null, "http2 needs keyStoreP12 (HTTP/2 is offered by ALPN inside TLS)");
    require(acceptedToken == null || !acceptedToken.isBlank(), "acceptedToken must not be blank (null = no auth)");
    require(failRate >= 0.0 && failRate <= 1.0, "failRate must be within 0..1, got " + failRate);
    require(failStatus >= 200 && failStatus <= 599, "failStatus must be 200..599, got " + failStatus);
    require(callHistoryLimit > 0, "callHistoryLimit must be > 0");
    require(nanoClock != null, "nanoClock must not be null");
    return this;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Address to bind; {@code 0.0.0.0} to be reachable from other containers. Default {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  public SimulatorOptions host(String host) {
    this.host = host;
    return this;
  }

  /** Port to bind; 0 (the default) picks a free one, see {@link XcSimulator#port()}. */
  public int port() {
    return port;
  }

  public SimulatorOptions port(int port) {
    this.port = port;
    return this;
  }

  public Duration minLatency() {
    return minLatency;
  }

  public Duration maxLatency() {
    return maxLatency;
  }

  /** Every answer waits a uniformly random time within {@code [min, max]}; default none. */
  public SimulatorOptions latency(Duration min, Duration max) {
    this.minLatency = min;
    this.maxLatency = max;
    return this;
  }

  public SimulatorOptions minLatency(Duration minLatency) {
    this.minLatency = minLatency;
    return this;
  }

  public SimulatorOptions maxLatency(Duration maxLatency) {
    this.maxLatency = maxLatency;
    return this;
  }

  public Path keyStoreP12() {
    return keyStoreP12;
  }

  /** Server key pair (PKCS#12); when set the simulator speaks HTTPS. */
  public SimulatorOptions keyStoreP12(Path keyStoreP12) {
    this.keyStoreP12 = keyStoreP12;
    return this;
  }

  public String keyStorePassword() {
    return keyStorePassword;
  }

  public SimulatorOptions keyStorePassword(String keyStorePassword) {
    this.keyStorePassword = keyStorePassword;
    return this;
  }

  public Path trustStoreP12() {
    return trustStoreP12;
  }

  /** Certificates of accepted clients (PKCS#12); when set a client certificate is required (mutual TLS). */
  public SimulatorOptions trustStoreP12(Path trustStoreP12) {
    this.trustStoreP12 = trustStoreP12;
    return this;
  }

  public String trustStorePassword() {
    return trustStorePassword;
  }

  public SimulatorOptions trustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
    return this;
  }

  public boolean http2() {
    return http2;
  }

  /**
   * Offer HTTP/2 through ALPN (before HTTP/1.1) on the TLS server, as the real API's front door
   * does; a client that does not offer it still gets HTTP/1.1. Needs {@link #keyStoreP12}. Default
   * false: HTTP/1.1 only. {@link XcSimulator.Call#httpVersion()} shows what each call used.
   */
  public SimulatorOptions http2(boolean http2) {
    this.http2 = http2;
    return this;
  }

  public String acceptedToken() {
    return acceptedToken;
  }

  /** Require {@code Authorization: APIToken <token>} on API calls; null (the default) = no auth. */
  public SimulatorOptions acceptedToken(String acceptedToken) {
    this.acceptedToken = acceptedToken;
    return this;
  }

  public boolean magicEmails() {
    return magicEmails;
  }

  /** Whether tags such as {@code jane+404@example.com} steer the answer (default true). */
  public SimulatorOptions magicEmails(boolean magicEmails) {
    this.magicEmails = magicEmails;
    return this;
  }

  public long seed() {
    return seed;
  }

  /** Seed of the random choices (latency within its range, fail rate); default {@link #DEFAULT_SEED}. */
  public SimulatorOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  public double failRate() {
    return failRate;
  }

  /** Fraction (0..1) of calls answered with {@link #failStatus()}; default 0. */
  public SimulatorOptions failRate(double failRate) {
    this.failRate = failRate;
    return this;
  }

  public int failStatus() {
    return failStatus;
  }

  /** Status of calls picked by {@link #failRate()}; default 503. */
  public SimulatorOptions failStatus(int failStatus) {
    this.failStatus = failStatus;
    return this;
  }

  public int callHistoryLimit() {
    return callHistoryLimit;
  }

  /**
   * Most calls {@link XcSimulator#calls()} keeps (the oldest are dropped beyond it, so a long load
   * run does not grow without bound); counters stay exact. Default 100 000.
   */
  public SimulatorOptions callHistoryLimit(int callHistoryLimit) {
    this.callHistoryLimit = callHistoryLimit;
    return this;
  }

  public LongSupplier nanoClock() {
    return nanoClock;
  }

  /**
   * Monotonic nanosecond tick source for call timestamps, {@code down} expiry and throttling;
   * default {@link System#nanoTime()}. Tests inject a manual one so throttling needs no sleeps.
   * Latency always uses real Vert.x timers.
   */
  public SimulatorOptions nanoClock(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    return this;
  }

  @Override
  public String toString() {
    // Passwords and token are secrets: only say whether they are set.
    return "SimulatorOptions{host=" + host + ", port=" + port + ", latency=" + minLatency.toMillis() + ".."
        + maxLatency.toMillis() + "ms, tls=" + (keyStoreP12 != null) + ", mutualTls=" + (trustStoreP12 != null)
        + ", http2=" + http2
        + ", token=" + (acceptedToken != null ? "set" : "none") + ", magicEmails=" + magicEmails
        + ", seed=" + seed + ", failRate=" + failRate + ":" + failStatus + "}";
  }
}
