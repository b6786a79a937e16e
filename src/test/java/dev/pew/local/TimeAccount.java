package dev.pew.local;

import dev.pew.testing.PrometheusScrape;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a local run's time went, from the worker's own {@code /metrics} just before the stop: time
 * no call could start (a 429's {@code Retry-After}, a hold), the time items waited for their
 * retries, and the calls themselves (count and total time, for the mean latency and how many were
 * in flight on average), plus the worker process's CPU time. Immutable and thread-safe.
 *
 * @param throttledSeconds {@code pew_throttled_seconds_total}: no call started, every call waited for a Retry-After
 * @param heldSeconds {@code pew_hold_seconds_total}: holding for an outage or a refused credential
 * @param retryBackoffSeconds {@code pew_retry_backoff_seconds_total}: waits for retries, summed over items
 * @param retries {@code pew_retries_total{reason="retryable"}}: retries scheduled on a backoff
 * @param calls {@code pew_call_duration_seconds_count}
 * @param callSeconds {@code pew_call_duration_seconds_sum}
 * @param workerCpu the worker process's CPU time from producing the batch to the scrape, empty when
 *     the system does not say
 * @param cpuWall the wall time of that interval
 */
record TimeAccount(double throttledSeconds, double heldSeconds, double retryBackoffSeconds, double retries,
    double calls, double callSeconds, Optional<Duration> workerCpu, Duration cpuWall) {

  /** From a scrape; empty when it lacks the worker's time meters (an older worker jar). */
  static Optional<TimeAccount> from(PrometheusScrape s, Optional<Duration> workerCpu, Duration cpuWall) {
    Optional<Double> throttled = s.value("pew_throttled_seconds_total");
    Optional<Double> held = s.value("pew_hold_seconds_total");
    Optional<Double> backoff = s.value("pew_retry_backoff_seconds_total");
    if (throttled.isEmpty() || held.isEmpty() || backoff.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TimeAccount(throttled.get(), held.get(), backoff.get(),
        s.value("pew_retries_total", "reason", "retryable").orElse(0.0),
        s.value("pew_call_duration_seconds_count").orElse(0.0), s.value("pew_call_duration_seconds_sum").orElse(0.0),
        workerCpu, cpuWall));
  }

  /** Of {@code windowSeconds}, the time calls could start: neither throttled nor held (at least 1 ms). */
  double allowedSeconds(double windowSeconds) {
    return Math.max(0.001, windowSeconds - throttledSeconds - heldSeconds);
  }

  double meanCallMillis() {
    return calls == 0 ? 0 : callSeconds * 1000 / calls;
  }

  /** Little's law: the most events per second {@code maxInFlight} calls of the mean latency allow; 0 without calls. */
  double littleBound(int maxInFlight) {
    return callSeconds == 0 ? 0 : maxInFlight * calls / callSeconds;
  }

  /** Cores the worker kept busy on average while the batch ran; empty when its CPU time is unknown. */
  Optional<Double> workerCores() {
    return workerCpu.filter(c -> !cpuWall.isZero()).map(c -> c.toNanos() / (double) cpuWall.toNanos());
  }

  /** Calls in flight on average over {@code windowSeconds}. */
  double meanInFlight(double windowSeconds) {
    return windowSeconds <= 0 ? 0 : callSeconds / windowSeconds;
  }
}
