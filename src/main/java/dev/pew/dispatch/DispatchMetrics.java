package dev.pew.dispatch;

/** What the dispatcher reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface DispatchMetrics {

  /** A call is to be made again; {@code reason}: {@code throttled}, {@code retryable} or {@code hold}. */
  void retry(String reason);

  /** A call start waited for the rate limit. */
  void rateLimitWait();

  /** An item waited {@code millis} for its retry (the backoff), holding no permit meanwhile. */
  default void retryWaited(long millis) {}
}
