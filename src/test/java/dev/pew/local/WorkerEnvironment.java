package dev.pew.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment the worker process starts with: the caller's environment minus anything the
 * worker would read as configuration (so a {@code KAFKA_*} or {@code XC_*} variable left in the
 * shell cannot point the local run at a real cluster or the real API), plus the settings named
 * exactly as the contract names them.
 *
 * <p>Immutable and thread-safe.
 */
final class WorkerEnvironment {

  /** Settings the worker reads that do not start with one of {@link #WORKER_PREFIXES}. */
  private static final Set<String> WORKER_KEYS = Set.of("MAX_IN_FLIGHT", "RATE_LIMIT_PER_SECOND", "RATE_LIMIT_BURST",
      "MAX_ATTEMPTS", "BACKOFF_INITIAL_MS", "BACKOFF_MAX_MS", "REQUEST_TIMEOUT_MS", "ON_AUTH_FAILURE", "HTTP_PORT",
      "SHUTDOWN_GRACE_MS", "ORDERING", "HOLD_AFTER_FAILURES", "RETRY_AFTER_MAX_MS", "MAX_BUFFERED", "LOG_FORMAT",
      "STATUS_INTERVAL_MS", "CONFIG_FILE");
  private static final String[] WORKER_PREFIXES = {"KAFKA_", "TOPIC_", "XC_"};

  private final Map<String, String> settings;

  private WorkerEnvironment(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
  }

  /** The settings a local run gives the worker. {@code token} is a secret: it is never printed. */
  static WorkerEnvironment forLocalRun(String bootstrap, LocalTopics topics, String endpointUrl, String token,
      int maxInFlight, int httpPort, long shutdownGraceMs) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    s.put("KAFKA_GROUP_ID", "password-email-worker-local");
    s.put("TOPIC_INPUT", topics.input());
    s.put("TOPIC_SENT", topics.sent());
    s.put("TOPIC_FAILED", topics.failed());
    s.put("TOPIC_DEAD_LETTER", topics.deadLetter());
    s.put("XC_ENDPOINT_URL", endpointUrl);
    s.put("XC_API_TOKEN", token);
    s.put("MAX_IN_FLIGHT", Integer.toString(maxInFlight));
    s.put("HTTP_PORT", Integer.toString(httpPort));
    s.put("STATUS_INTERVAL_MS", "5000");
    s.put("SHUTDOWN_GRACE_MS", Long.toString(shutdownGraceMs));
    s.put("LOG_FORMAT", "text");
    return new WorkerEnvironment(s);
  }

  /** {@code inherited} without worker configuration, then the local run's settings on top. */
  Map<String, String> applyTo(Map<String, String> inherited) {
    Map<String, String> env = new HashMap<>();
    inherited.forEach((k, v) -> {
      if (!isWorkerSetting(k)) {
        env.put(k, v);
      }
    });
    env.putAll(settings);
    return env;
  }

  static boolean isWorkerSetting(String name) {
    if (WORKER_KEYS.contains(name)) {
      return true;
    }
    for (String prefix : WORKER_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  int httpPort() {
    return Integer.parseInt(settings.get("HTTP_PORT"));
  }

  long shutdownGraceMs() {
    return Long.parseLong(settings.get("SHUTDOWN_GRACE_MS"));
  }

  /**
   * A loopback port free right now. Another process could take it before the worker binds it; the
   * worker then exits at start-up and the run says so.
   */
  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port for HTTP_PORT", e);
    }
  }
}
