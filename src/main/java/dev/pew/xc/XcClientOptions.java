package dev.pew.xc;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach {@code send_password_email}: the full URL, the per-call deadline, the connection
 * pool size (matched to the concurrency limit, so calls never queue for a connection), and the
 * optional TLS material. Mutable with fluent setters; {@link #validate()} before use.
 */
public final class XcClientOptions {

  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  private URI endpoint;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private Path clientP12;
  private String clientP12Password = "";
  private Path caFile;
  private String userAgent = "password-email-worker";

  public URI endpoint() {
    return endpoint;
  }

  public XcClientOptions setEndpoint(URI endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public XcClientOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public XcClientOptions setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  public Path clientP12() {
    return clientP12;
  }

  public XcClientOptions setClientP12(Path clientP12) {
    this.clientP12 = clientP12;
    return this;
  }

  public String clientP12Password() {
    return clientP12Password;
  }

  public XcClientOptions setClientP12Password(String clientP12Password) {
    this.clientP12Password = clientP12Password == null ? "" : clientP12Password;
    return this;
  }

  public Path caFile() {
    return caFile;
  }

  public XcClientOptions setCaFile(Path caFile) {
    this.caFile = caFile;
    return this;
  }

  public String userAgent() {
    return userAgent;
  }

  public XcClientOptions setUserAgent(String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public boolean https() {
    return "https".equalsIgnoreCase(endpoint.getScheme());
  }

  public XcClientOptions validate() {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) && !https()) {
      throw new IllegalArgumentException("endpoint must be http or https");
    }
    if (timeoutMs < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("timeout and pool size must be positive");
    }
    return this;
  }
}
