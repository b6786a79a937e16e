package dev.pew.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code ./run-local.sh [options]}: runs the worker's main job on this machine with nothing but
 * Java: an embedded single-node Kafka (KRaft, 127.0.0.1), the XC simulator, and the worker jar
 * started as operators start it, then shows progress and a summary. See {@link LocalRunOptions}
 * for the options.
 *
 * <p>Exit code: 0 when every event is accounted for and the worker stopped cleanly, 1 otherwise, 2
 * for a bad option. Everything started is stopped and the broker's data deleted, also on failure and
 * on Ctrl-C.
 *
 * <p>{@link #run} is the core, usable from a test in the same JVM; it is not reentrant (one run at
 * a time per JVM, since it uses fixed topic names on its own broker and registers a shutdown hook).
 */
public final class LocalRun {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** Set by the shutdown hook (Ctrl-C, SIGTERM): the run is being torn down under the main thread. */
  private static volatile boolean interrupted;

  private LocalRun() {}

  public static void main(String[] args) {
    System.exit(exitCode(args, Path.of("").toAbsolutePath()));
  }

  static int exitCode(String[] args, Path projectDir) {
    LocalRunOptions options;
    try {
      options = LocalRunOptions.parse(args, projectDir);
    } catch (IllegalArgumentException e) {
      System.err.println("run-local: " + e.getMessage());
      System.err.println(LocalRunOptions.USAGE);
      return EXIT_USAGE;
    }
    if (options == null) {
      System.out.println(LocalRunOptions.USAGE);
      return EXIT_OK;
    }
    try {
      Files.createDirectories(options.outputDir());
      Path embeddedLog = options.outputDir().resolve("embedded.log");
      EmbeddedLogs.redirectTo(embeddedLog);
      return run(options, System.out, embeddedLog).ok() ? EXIT_OK : EXIT_FAILED;
    } catch (LocalRunner.LocalRunException e) {
      System.err.println("run-local: " + e.getMessage());
      return EXIT_FAILED;
    } catch (Exception e) {
      if (!interrupted) { // after Ctrl-C, errors from closed resources are expected noise
        System.err.println("run-local: failed: " + e);
        e.printStackTrace(System.err);
      }
      return EXIT_FAILED;
    }
  }

  /**
   * One local run: prints its progress and summary to {@code out} and returns the summary. Stops
   * everything it started before returning or throwing.
   *
   * @throws Exception when the run cannot go on (jar missing, broker or worker not starting, worker
   *     exiting early); the message says why
   */
  public static LocalRunSummary run(LocalRunOptions options, PrintStream out) throws Exception {
    return run(options, out, null);
  }

  /** {@link #run(LocalRunOptions, PrintStream)}, naming the file this JVM's own log goes to (null: none). */
  static LocalRunSummary run(LocalRunOptions options, PrintStream out, Path inJvmLog) throws Exception {
    Cleanup cleanup = new Cleanup(System.err);
    Thread hook = new Thread(() -> {
      if (!cleanup.closed()) {
        interrupted = true;
        System.err.println("\nrun-local: interrupted; stopping the worker, the simulator and the broker");
      }
      cleanup.closeAll();
    }, "local-run-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    LocalRunSummary summary;
    try {
      summary = new LocalRunner(options, out, cleanup, inJvmLog).run();
    } finally {
      long start = System.nanoTime();
      if (cleanup.closeAll() > 0) {
        out.printf(Locale.ROOT, "  cleaned up (worker, simulator, broker and its data) in %.1f s%n",
            (System.nanoTime() - start) / 1e9);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or has run: nothing left to undo
      }
    }
    summary.render(out);
    return summary;
  }
}
