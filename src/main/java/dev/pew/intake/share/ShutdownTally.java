package dev.pew.intake.share;

import dev.pew.intake.IntakeMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the lanes did with their records at shutdown, added up for one log line and the drained
 * metric: calls in flight that finished in the grace period (accepted), records let go before they
 * were handed over or still queued (released to the group), and records left unfinished when the
 * grace period ended. Lanes add from their own threads; {@link #report} runs on the intake's main
 * thread once every lane closed. Thread-safe.
 */
final class ShutdownTally {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownTally.class);

  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger atShutdown = new AtomicInteger();
  private final AtomicInteger leftAtClose = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger releasedAtClose = new AtomicInteger();

  /** A lane stopped taking records: {@code dropped} were not handed over, {@code inPipeline} were. */
  void stopped(int dropped, int inPipeline) {
    this.dropped.addAndGet(dropped);
    atShutdown.addAndGet(inPipeline);
  }

  /** A lane closed: {@code left} still in the pipeline, {@code completed} finished since the stop, {@code released} by the close. */
  void closed(int left, int completed, int released) {
    leftAtClose.addAndGet(left);
    this.completed.addAndGet(completed);
    releasedAtClose.addAndGet(released);
  }

  void report(IntakeMetrics metrics) {
    int finished = completed.get();
    int left = leftAtClose.get();
    int released = Math.max(0, atShutdown.get() - left - finished) + dropped.get();
    metrics.handoverDrained(finished);
    if (atShutdown.get() == 0 && dropped.get() == 0) {
      LOG.info("shutdown: nothing was unfinished; acknowledgements committed");
      return;
    }
    LOG.info("shutdown: drained {} calls in flight (results published, records accepted), released {} queued records to "
        + "the share group and left {} unfinished after the grace period ({} released when the consumers closed); the "
        + "group delivers the released ones to other members", finished, released, left, releasedAtClose.get());
  }
}
