package dev.pew.intake;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka refused the worker (wrong SASL credentials, missing ACLs): an operator can fix that while
 * the worker runs, so an intake stays up, not ready, and tries again after a backoff of {@code
 * min(10 s, 200 ms * 2^n)} for the n-th refusal in a row instead of dying. The first refusal is
 * logged as an error, the recovery once. Thread-safe: the share intake's lanes share one.
 */
public final class AccessRefusals {

  private static final Logger LOG = LoggerFactory.getLogger(AccessRefusals.class);
  private static final long MAX_WAIT_MS = 10_000;

  private final AtomicInteger refusals = new AtomicInteger();

  /** How long to wait after the {@code n}-th refusal in a row (n >= 1). */
  static long waitMs(int n) {
    return Math.min(MAX_WAIT_MS, 200L << Math.min(n, 6));
  }

  /** A turn went through: logs the recovery if Kafka had refused before. */
  public void accepted() {
    int n = refusals.getAndSet(0);
    if (n > 0) {
      LOG.info("Kafka accepts the worker's credentials again after {} refusals", n);
    }
  }

  /** Logs the first refusal in a row and waits its backoff, less if {@code stopping} turns true. */
  public void refused(RuntimeException e, BooleanSupplier stopping) throws InterruptedException {
    int n = refusals.incrementAndGet();
    if (n == 1) {
      LOG.error("Kafka refused the worker ({}): {}; not ready; retrying with backoff until it is accepted",
          e.getClass().getSimpleName(), e.getMessage());
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs(n));
    while (!stopping.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
  }
}
