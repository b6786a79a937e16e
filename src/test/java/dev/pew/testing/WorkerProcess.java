package dev.pew.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The worker as a real separate process ({@code java dev.pew.Main} on this test run's class path),
 * configured through environment variables only, as an operator would run it. For what only a
 * process can show: exit codes, SIGTERM, and being killed without any shutdown.
 */
public final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code dev.pew.Main} with exactly these environment variables (plus PATH/HOME) and
   * arguments, in the log file's directory (so no {@code conf/config.json} is picked up by accident).
   */
  public static WorkerProcess start(Map<String, String> env, Path logFile, String... args) {
    return startMain("dev.pew.Main", env, logFile, args);
  }

  public static WorkerProcess startMain(String mainClass, Map<String, String> env, Path logFile, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    onlyThisEnvironment(pb, env);
    pb.directory(logFile.toAbsolutePath().getParent().toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(logFile.toFile());
    try {
      return new WorkerProcess(pb.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Gives the process exactly {@code env} plus PATH and HOME: nothing the worker would read as
   * configuration leaks in from the environment the tests run in.
   */
  public static void onlyThisEnvironment(ProcessBuilder pb, Map<String, String> env) {
    Map<String, String> environment = pb.environment();
    String path = environment.get("PATH");
    String home = environment.get("HOME");
    environment.clear();
    if (path != null) {
      environment.put("PATH", path);
    }
    if (home != null) {
      environment.put("HOME", home);
    }
    environment.putAll(env);
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output contains {@code text}. */
  public void awaitOutput(String text, Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> output().contains(text) || !process.isAlive() && output().contains(text));
  }

  /** SIGTERM, as a container runtime sends it. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook, no commit, no leave-group. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Waits for the process to end; returns its exit code, or -1 when it did not end in time. */
  public int waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The last {@code lines} lines of the output: for an assertion's message when the process did not end as expected. */
  public String tail(int lines) {
    List<String> all = output().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
  }
}
