package dev.pew.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Exit;

/**
 * Keeps the embedded broker from ending this JVM behind the run's back. Kafka's test kit registers
 * a JVM shutdown hook that deletes the broker's data directory; on Ctrl-C that hook would run
 * concurrently with the run's own cleanup, delete the data under the live broker, and the broker
 * would then halt the JVM before the worker process is stopped. So the data-deleting hooks are
 * captured while the broker starts and run by the cleanup after the broker is closed, and a
 * broker's halt or exit request is reported instead of obeyed while the run lasts.
 *
 * <p>Kafka's {@link Exit} is process-wide: install at most one guard at a time. Thread-safe.
 */
final class KafkaExitGuard {

  private final PrintStream err;
  private final List<Runnable> deferredHooks = new ArrayList<>();

  private KafkaExitGuard(PrintStream err) {
    this.err = err;
  }

  /** From now until {@link #release()}, Kafka's halt and exit calls are reported, not obeyed. */
  static KafkaExitGuard install(PrintStream err) {
    KafkaExitGuard guard = new KafkaExitGuard(err);
    Exit.Procedure report = (code, message) -> err.println("run-local: the embedded broker asked to end the JVM ("
        + code + ", " + message + "); ignored until the run has cleaned up");
    Exit.setHaltProcedure(report);
    Exit.setExitProcedure(report);
    return guard;
  }

  /** Runs {@code startup} with Kafka's shutdown hooks captured instead of registered with the JVM. */
  <T> T capturingShutdownHooks(ThrowingSupplier<T> startup) throws Exception {
    Exit.setShutdownHookAdder((name, hook) -> {
      synchronized (this) {
        deferredHooks.add(hook);
      }
    });
    try {
      return startup.get();
    } finally {
      Exit.resetShutdownHookAdder();
    }
  }

  /** Runs the captured hooks (the broker must be closed by now) and gives Kafka back its exit behaviour. */
  void release() {
    List<Runnable> hooks;
    synchronized (this) {
      hooks = new ArrayList<>(deferredHooks);
      deferredHooks.clear();
    }
    for (Runnable hook : hooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        err.println("run-local: a broker clean-up step failed: " + e);
      }
    }
    Exit.resetHaltProcedure();
    Exit.resetExitProcedure();
  }

  /** A startup step that may throw. */
  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
