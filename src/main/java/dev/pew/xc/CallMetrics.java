package dev.pew.xc;

/** What the API client reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface CallMetrics {

  /** One call came back: {@code status} is the HTTP status, {@code timeout} or {@code connection_error}. */
  void call(String status, long latencyNanos);
}
