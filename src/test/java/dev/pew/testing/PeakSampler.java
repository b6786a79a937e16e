package dev.pew.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Samples a value every 2 ms on a daemon thread and keeps the highest one seen: a test's view of a
 * peak (unfinished records, say) without a getter in production code for it. Close it to stop.
 */
public final class PeakSampler implements AutoCloseable {

  private final AtomicInteger peak = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  public PeakSampler(IntSupplier value) {
    thread = new Thread(() -> {
      while (running) {
        peak.accumulateAndGet(value.getAsInt(), Math::max);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peak-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  public int peak() {
    return peak.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
