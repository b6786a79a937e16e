package dev.pew.ops;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one status line every {@code STATUS_INTERVAL_MS}: throughput since the last line, calls in
 * flight, sent and failed since start, consumer lag, hold state. Runs on the event loop's timer.
 */
public final class StatusReporter {

  private static final Logger LOG = LoggerFactory.getLogger("dev.pew.status");

  private final Vertx vertx;
  private final WorkerStatus status;
  private final WorkerMetrics metrics;
  private long timer = -1;
  private long lastDone;
  private long lastAt;

  public StatusReporter(Vertx vertx, WorkerStatus status, WorkerMetrics metrics) {
    this.vertx = vertx;
    this.status = status;
    this.metrics = metrics;
  }

  public void start(long intervalMs) {
    if (intervalMs <= 0) {
      return;
    }
    lastAt = System.nanoTime();
    timer = vertx.setPeriodic(intervalMs, id -> LOG.info(line()));
  }

  /** The status line (also used at shutdown). */
  public String line() {
    long now = System.nanoTime();
    long done = metrics.sentTotal() + metrics.failedTotal();
    double seconds = Math.max(0.001, (now - lastAt) / 1e9);
    double rate = (done - lastDone) / seconds;
    lastDone = done;
    lastAt = now;
    String hold = status.holdReason();
    return String.format("status: %.1f events/s, in flight %d, unfinished %d, sent %d, failed %d, lag %d, partitions %d%s%s%s",
        rate, status.inFlight(), status.unfinished(), metrics.sentTotal(), metrics.failedTotal(), metrics.totalLag(),
        status.assignedPartitions(),
        hold == null ? "" : ", HOLDING (" + hold + ", " + status.heldMillis() / 1000 + " s)",
        status.throttled() ? ", throttled by Retry-After" : "",
        status.publishFailing() ? ", results failing" : "");
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
