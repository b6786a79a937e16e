package dev.pew.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks a worker's operator endpoints ({@code /health/live}, {@code /health/ready}, {@code /metrics})
 * on 127.0.0.1, as a load balancer or Prometheus would, and finds loopback ports for tests.
 *
 * <p>Blocking: call it from the test thread, never from an event loop. Thread-safe.
 */
public final class OpsProbe {

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * HTTP/1.1, as Prometheus and the kubelet speak to these endpoints. The JDK client's default
   * (HTTP/2, by an h2c upgrade on a plain connection) once left two scrapes in a CI run unanswered
   * for their full 10 s timeout each, which no real scraper would have met.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final int port;

  public OpsProbe(int port) {
    this.port = port;
  }

  /**
   * An answer.
   *
   * @param status HTTP status, or -1 when nothing answered (connection refused, timeout)
   * @param body the body as text ("" when nothing answered)
   */
  public record Answer(int status, String body) {

    /** The body as JSON (health endpoints). */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }

    /** The health check body's checks by id, each with its {@code status} and {@code data}. */
    public Map<String, JsonNode> checks() {
      Map<String, JsonNode> out = new LinkedHashMap<>();
      json().path("checks").forEach(c -> out.put(c.path("id").asText(), c));
      return out;
    }

    /** The status (UP/DOWN) the body reports for check {@code id}, or null when it is not named. */
    public String check(String id) {
      JsonNode c = checks().get(id);
      return c == null ? null : c.path("status").asText();
    }
  }

  public Answer get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "");
    }
  }

  public Answer live() {
    return get("/health/live");
  }

  public Answer ready() {
    return get("/health/ready");
  }

  /** {@code GET /metrics}, parsed; fails when the endpoint does not answer 200. */
  public PrometheusScrape metrics() {
    Answer a = get("/metrics");
    if (a.status() != 200) {
      throw new IllegalStateException("/metrics answered " + a.status() + ": " + a.body());
    }
    return PrometheusScrape.parse(a.body());
  }

  /**
   * A loopback port nothing listens on right now (bound, then released). Another process could take
   * it in between; on a test machine that is rare enough.
   */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
