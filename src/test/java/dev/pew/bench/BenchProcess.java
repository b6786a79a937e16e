package dev.pew.bench;

import dev.pew.testing.WorkerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process under measurement: a worker ({@code java <jvm options> -jar target/password-email-worker.jar},
 * configured through its environment only, as operators run it) or the raw Kafka pipe. Reads what
 * Linux knows about it: CPU time and peak resident set size; the JVM heap comes from the process's
 * {@code -Xlog:gc} file (no scrape of {@code /metrics}, which would cost the worker CPU under measurement).
 *
 * <p>Thread-safe for the readings; start and stop from one thread.
 */
final class BenchProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  /** {@code 23M->5M(128M)} in a {@code -Xlog:gc} line: heap before, after, and its size. */
  private static final java.util.regex.Pattern GC_LINE =
      java.util.regex.Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private final Process process;
  private final Path log;
  private final int httpPort;

  private BenchProcess(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Starts {@code jar} in {@code projectDir} with exactly {@code env} (plus PATH and HOME). */
  static BenchProcess worker(Path projectDir, Path jar, List<String> jvmOptions, Map<String, String> env, int httpPort,
      Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add(gcLogOption(log));
    command.add("-jar");
    command.add(jar.toString());
    return new BenchProcess(start(command, env, projectDir, log), log, httpPort);
  }

  /**
   * Starts a peer's jar ({@code java <jvm options> -jar peer.jar}) with exactly {@code env} (plus PATH
   * and HOME), in the folder of its log. Its heap is read from a GC log as the worker's is; it has no
   * HTTP endpoint.
   */
  static BenchProcess peer(Path jar, List<String> jvmOptions, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add(gcLogOption(log));
    command.add("-jar");
    command.add(jar.toString());
    return new BenchProcess(start(command, env, log.getParent(), log), log, -1);
  }

  /** Starts {@link RawKafkaPipe} on this JVM's class path. */
  static BenchProcess rawPipe(List<String> jvmOptions, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add(gcLogOption(log));
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(RawKafkaPipe.class.getName());
    command.addAll(args);
    return new BenchProcess(start(command, Map.of(), log.getParent(), log), log, -1);
  }

  /** This JVM's class path with every entry absolute, for a process started in another directory. */
  private static String absoluteClassPath() {
    StringBuilder b = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        b.append(b.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(entry).toAbsolutePath());
      }
    }
    return b.toString();
  }

  /**
   * Heap use is read from the JVM's own GC log rather than by scraping the worker while it runs:
   * no cost on its event loop, and every collection is seen, not one sample a second.
   */
  private static String gcLogOption(Path log) {
    return "-Xlog:gc:file=" + gcLog(log);
  }

  private static Path gcLog(Path log) {
    return log.resolveSibling(log.getFileName() + ".gc");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Process start(List<String> command, Map<String, String> env, Path dir, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    WorkerProcess.onlyThisEnvironment(pb, env);
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** User plus system CPU time so far, in seconds (NaN when the OS does not say). */
  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /** Peak resident set size so far in MiB ({@code VmHWM} of {@code /proc/<pid>/status}), NaN if unknown. */
  double peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return Double.NaN;
  }

  /** Whether the worker's {@code /health/ready} answers 200 (false for the pipe, which has no endpoint). */
  boolean ready() {
    HttpResponse<String> r = httpPort > 0 ? get("/health/ready") : null;
    return r != null && r.statusCode() == 200;
  }

  /** The file whose existence pauses the raw pipe (see {@link RawKafkaPipe}). */
  static Path pauseFile(Path log) {
    return log.resolveSibling(log.getFileName() + ".pause");
  }

  /** Whether the log contains {@code text} (the pipe says when it has its partitions). */
  boolean logged(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The heap as the GC log shows it so far: {@code [0]} the most in use before any collection
   * (the peak), {@code [1]} the most still in use after one (an upper bound of
   * the live set: a young collection leaves old-generation garbage in place until a mixed one); NaN when there was no collection yet.
   */
  double[] heapMiB() {
    try {
      return heapFromGcLog(Files.readAllLines(gcLog(log), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new double[] {Double.NaN, Double.NaN}; // no log (yet)
    }
  }

  /** {@link #heapMiB()} of the lines of a {@code -Xlog:gc} file. */
  static double[] heapFromGcLog(List<String> lines) {
    double peak = Double.NaN;
    double afterGc = Double.NaN;
    for (String line : lines) {
      java.util.regex.Matcher m = GC_LINE.matcher(line);
      if (m.find()) {
        double before = mib(m.group(1), m.group(2));
        double after = mib(m.group(3), m.group(4));
        peak = Double.isNaN(peak) ? before : Math.max(peak, before);
        afterGc = Double.isNaN(afterGc) ? after : Math.max(afterGc, after);
      }
    }
    return new double[] {peak, afterGc};
  }

  private static double mib(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }

  private HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The last {@code n} lines of the process's output. */
  List<String> logTail(int n) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException e) {
      return List.of("(no log: " + e + ")");
    }
  }

  /** SIGTERM, then up to 30 s for the exit, then SIGKILL. Returns the exit code (-1 when killed). */
  int stop() throws InterruptedException {
    process.destroy();
    if (process.waitFor(30, TimeUnit.SECONDS)) {
      return process.exitValue();
    }
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
