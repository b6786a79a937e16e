package dev.pew.ops;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool a test runs (promtool, node, npm), found on the PATH. Where it is missing the
 * test is skipped with the reason, except when the environment sets {@value #REQUIRE}=1 (CI's
 * .ci/run does): then it fails, so a build machine without the tool cannot pass by skipping.
 */
final class ExternalTool {

  static final String REQUIRE = "PEW_REQUIRE_TOOLS";

  private ExternalTool() {}

  /** The tool's path; skips the calling test (or fails it under PEW_REQUIRE_TOOLS=1) when absent. */
  static Path require(String name, String whatFor) {
    return require(name, whatFor, System.getenv());
  }

  /** {@link #require(String, String)} with the environment given (PATH and PEW_REQUIRE_TOOLS). */
  static Path require(String name, String whatFor, Map<String, String> environment) {
    Optional<Path> found = onPath(name, environment.get("PATH"));
    if (found.isEmpty()) {
      String reason = name + " is not on the PATH, so " + whatFor + " cannot run (install: " + installHint(name) + ")";
      if ("1".equals(environment.get(REQUIRE))) {
        fail(reason + "; " + REQUIRE + "=1 forbids skipping");
      }
      Assumptions.abort(reason);
    }
    return found.get();
  }

  static Optional<Path> onPath(String name) {
    return onPath(name, System.getenv("PATH"));
  }

  private static Optional<Path> onPath(String name, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static String installHint(String name) {
    return switch (name) {
      case "promtool" -> "apt-get install --no-install-recommends prometheus";
      case "node", "npm" -> "Node.js 20+ with npm";
      default -> name;
    };
  }

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  /** Runs {@code command} in {@code dir}, waits at most {@code timeoutSeconds}, and returns what it printed. */
  static Result run(Path dir, long timeoutSeconds, List<String> command) {
    try {
      Path log = Files.createTempFile("pew-tool-", ".log");
      try {
        Process process = new ProcessBuilder(new ArrayList<>(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
