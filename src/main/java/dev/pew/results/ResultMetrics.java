package dev.pew.results;

/** What result publishing reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface ResultMetrics {

  /** A result acknowledged by Kafka; {@code category} is {@code none} for SENT. */
  void result(String status, String category, long durationMs);

  /** A result or dead-letter send failed (it is retried until acknowledged). */
  void publishFailure();

  /** A dead-letter copy Kafka refuses as too large was left out (the result still says why it failed). */
  void deadLetterDropped();
}
