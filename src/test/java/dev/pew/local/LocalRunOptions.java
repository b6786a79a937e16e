package dev.pew.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a local run does: how many sample events, the worker's {@code MAX_IN_FLIGHT}, the simulated
 * API latency, how long to wait for the results, the seed of the sample mix, and where the project
 * (the jar) and the run's files (worker log) are.
 *
 * <p>Immutable and thread-safe. {@link #parse} and {@link #validate()} reject bad values with a
 * message naming the option.
 */
public record LocalRunOptions(
    int events,
    int maxInFlight,
    Duration minLatency,
    Duration maxLatency,
    Duration timeout,
    long seed,
    Path projectDir,
    Path outputDir) {

  /** Fewer events than this cannot hold every sample kind at least once. */
  public static final int MIN_EVENTS = 20;
  public static final int MAX_EVENTS = 1_000_000;

  static final String USAGE = String.join("\n",
      "usage: ./run-local.sh [--events N] [--max-in-flight N] [--latency-ms MIN-MAX] [--timeout-s N] [--seed N]",
      "  --events N          sample events to produce (default 3000, " + MIN_EVENTS + ".." + MAX_EVENTS + ")",
      "  --max-in-flight N   the worker's MAX_IN_FLIGHT (default 64, 1..10000)",
      "  --latency-ms A-B    simulated API latency range in ms (default 20-80; one number = fixed)",
      "  --timeout-s N       how long to wait for every result (default 120)",
      "  --seed N            seed of the sample mix and the simulator's randomness (default 1)",
      "Exit code: 0 when every event is accounted for and the worker stopped cleanly, 1 otherwise,",
      "2 for a bad option.");

  public LocalRunOptions {
    Objects.requireNonNull(minLatency, "minLatency");
    Objects.requireNonNull(maxLatency, "maxLatency");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(projectDir, "projectDir");
    Objects.requireNonNull(outputDir, "outputDir");
  }

  /** The defaults for a project checked out at {@code projectDir}; files go to {@code target/local-run}. */
  public static LocalRunOptions defaults(Path projectDir) {
    Path project = projectDir.toAbsolutePath().normalize();
    return new LocalRunOptions(3000, 64, Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofSeconds(120),
        1L, project, project.resolve("target").resolve("local-run"));
  }

  /**
   * The defaults changed by command-line options ({@code --name value} or {@code --name=value}).
   * Returns null for {@code --help}.
   *
   * @throws IllegalArgumentException naming the option that is unknown, lacks a value or is invalid
   */
  public static LocalRunOptions parse(String[] args, Path projectDir) {
    LocalRunOptions o = defaults(projectDir);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help")) {
        return null;
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(arg.startsWith("--") ? name + " needs a value" : "unexpected argument '" + arg + "'");
      }
      o = o.with(name, value);
    }
    return o.validate();
  }

  private LocalRunOptions with(String name, String value) {
    return switch (name) {
      case "--events" -> withEvents(integer(name, value));
      case "--max-in-flight" -> new LocalRunOptions(events, integer(name, value), minLatency, maxLatency, timeout,
          seed, projectDir, outputDir);
      case "--latency-ms" -> withLatency(value);
      case "--timeout-s" -> new LocalRunOptions(events, maxInFlight, minLatency, maxLatency,
          Duration.ofSeconds(integer(name, value)), seed, projectDir, outputDir);
      case "--seed" -> new LocalRunOptions(events, maxInFlight, minLatency, maxLatency, timeout,
          longValue(name, value), projectDir, outputDir);
      default -> throw new IllegalArgumentException("unknown option '" + name + "'");
    };
  }

  private LocalRunOptions withLatency(String value) {
    String[] parts = value.split("-", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("--latency-ms must be MIN-MAX or one number, got '" + value + "'");
    }
    long min = longValue("--latency-ms", parts[0]);
    long max = parts.length == 2 ? longValue("--latency-ms", parts[1]) : min;
    return new LocalRunOptions(events, maxInFlight, Duration.ofMillis(min), Duration.ofMillis(max), timeout, seed,
        projectDir, outputDir);
  }

  public LocalRunOptions withEvents(int n) {
    return new LocalRunOptions(n, maxInFlight, minLatency, maxLatency, timeout, seed, projectDir, outputDir);
  }

  public LocalRunOptions withTimeout(Duration t) {
    return new LocalRunOptions(events, maxInFlight, minLatency, maxLatency, t, seed, projectDir, outputDir);
  }

  public LocalRunOptions withOutputDir(Path dir) {
    return new LocalRunOptions(events, maxInFlight, minLatency, maxLatency, timeout, seed, projectDir, dir);
  }

  /**
   * Checks every value and returns this.
   *
   * @throws IllegalArgumentException naming the first option that is wrong and why
   */
  public LocalRunOptions validate() {
    require(events >= MIN_EVENTS && events <= MAX_EVENTS,
        "--events must be " + MIN_EVENTS + ".." + MAX_EVENTS + ", got " + events);
    require(maxInFlight >= 1 && maxInFlight <= 10_000, "--max-in-flight must be 1..10000, got " + maxInFlight);
    require(!minLatency.isNegative() && maxLatency.compareTo(minLatency) >= 0 && maxLatency.toMillis() <= 60_000,
        "--latency-ms needs 0 <= MIN <= MAX <= 60000, got " + minLatency.toMillis() + "-" + maxLatency.toMillis());
    require(timeout.getSeconds() >= 1 && timeout.getSeconds() <= 3600,
        "--timeout-s must be 1..3600, got " + timeout.getSeconds());
    return this;
  }

  /** The worker's start command's jar, relative to {@link #projectDir()} as the README writes it. */
  public Path jar() {
    return projectDir.resolve("target").resolve("password-email-worker.jar");
  }

  private static int integer(String name, String value) {
    long v = longValue(name, value);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is out of range: " + value);
    }
    return (int) v;
  }

  private static long longValue(String name, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
