package dev.pew.fleet;

/** What the fleet reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface FleetMetrics {

  /** A control record ignored: {@code other_group}, {@code stale} or {@code malformed}. */
  void controlIgnored(String reason);
}
