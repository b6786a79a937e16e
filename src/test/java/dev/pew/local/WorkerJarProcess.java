package dev.pew.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker as operators run it: {@code java -jar target/password-email-worker.jar} in the project
 * directory, configured through its environment only, its stdout and stderr going to a log file.
 * {@link #stop} is what an orchestrator does: SIGTERM, then wait for the grace period.
 *
 * <p>Thread-safe: {@link #stop} and {@link #close()} may race (main thread and shutdown hook); the
 * first one to stop the process wins, the other sees its result.
 */
final class WorkerJarProcess implements AutoCloseable {

  /** The start command as the README writes it, relative to the project directory. */
  static final List<String> START_COMMAND = List.of("java", "-jar", "target/password-email-worker.jar");

  private final Process process;
  private final Path logFile;
  private final Duration stopWait;
  private StopResult stopped;

  private WorkerJarProcess(Process process, Path logFile, Duration stopWait) {
    this.process = process;
    this.logFile = logFile;
    this.stopWait = stopWait;
  }

  /**
   * Starts the worker in {@code projectDir} with {@code env} applied to this process's environment.
   * {@code stopWait} bounds how long {@link #stop} waits after SIGTERM.
   */
  static WorkerJarProcess start(Path projectDir, WorkerEnvironment env, Path logFile, Duration stopWait) throws IOException {
    Files.createDirectories(logFile.getParent());
    // The JVM running this tool, so the worker gets the same Java 17+ even when PATH has another.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, START_COMMAND.get(1), START_COMMAND.get(2))
        .directory(projectDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
    builder.environment().clear();
    builder.environment().putAll(env.applyTo(System.getenv()));
    Process process = builder.start();
    process.getOutputStream().close(); // the worker reads no input
    return new WorkerJarProcess(process, logFile, stopWait);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended by itself, else -1. */
  int exitCodeIfEnded() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  Path logFile() {
    return logFile;
  }

  /**
   * Sends SIGTERM ({@link Process#destroy()}) and waits up to the stop wait for the exit. When the
   * worker does not exit in time it is killed and the result says so. Idempotent.
   */
  synchronized StopResult stop() throws InterruptedException {
    if (stopped != null) {
      return stopped;
    }
    long start = System.nanoTime();
    boolean wasAlive = process.isAlive();
    process.destroy();
    boolean exited = process.waitFor(stopWait.toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (!exited) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    stopped = new StopResult(wasAlive, exited, exited ? process.exitValue() : -1, took);
    return stopped;
  }

  /** The last {@code n} lines of the worker's log (the worker masks emails and never logs the token). */
  List<String> logTail(int n) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /**
   * How the worker ended.
   *
   * @param wasRunning whether it was still running when asked to stop (false: it had exited by itself)
   * @param exitedInTime whether it exited within the wait after SIGTERM
   * @param exitCode its exit code, -1 when it had to be killed
   */
  record StopResult(boolean wasRunning, boolean exitedInTime, int exitCode, Duration took) {

    boolean clean() {
      return wasRunning && exitedInTime && exitCode == 0;
    }
  }
}
