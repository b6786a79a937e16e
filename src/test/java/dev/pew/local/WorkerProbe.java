package dev.pew.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Asks the worker's operator endpoints ({@code /health/ready}, {@code /metrics} on {@code HTTP_PORT})
 * what an orchestrator or Prometheus would. Blocking; call it from a plain thread, never an event loop.
 *
 * <p>Thread-safe.
 */
final class WorkerProbe {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_MS = 250;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
  private final String base;

  WorkerProbe(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** The answer of {@code GET /health/ready}; status -1 with the error's name when there is none. */
  Answer ready() {
    return get("/health/ready");
  }

  /**
   * Polls {@code /health/ready} until it answers 200. False when {@code timeout} passes first or
   * {@code stillRunning} turns false (the worker exited).
   */
  boolean awaitReady(Duration timeout, BooleanSupplier stillRunning) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && stillRunning.getAsBoolean()) {
      if (ready().status() == 200) {
        return true;
      }
      Thread.sleep(POLL_MS);
    }
    return false;
  }

  /** {@code GET /metrics}. */
  Answer metrics() {
    return get("/metrics");
  }

  /** The sample lines of a {@link #metrics()} answer whose metric name starts with one of {@code names}. */
  static List<String> metricLines(Answer answer, List<String> names) {
    if (answer.status() != 200) {
      return List.of("(/metrics answered " + answer.status() + " " + answer.body() + ")");
    }
    return answer.body().lines()
        .filter(line -> !line.startsWith("#") && names.stream().anyMatch(line::startsWith))
        .sorted()
        .toList();
  }

  private Answer get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body().strip());
    } catch (IOException e) {
      return new Answer(-1, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }

  /** An HTTP answer: status (-1 when the request failed) and body. */
  record Answer(int status, String body) {}
}
