package dev.pew.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Builds a peer from its sources (read-only where CI runs: {@code ../shared/peers/<peer>}) in a copy
 * under {@code target/peers/<peer>}: {@code mvn -B -q -f target/peers/<peer>/pom.xml package} gives
 * {@code target/peers/<peer>/target/peer.jar}. Only when that jar is missing or older than a source
 * file; the copy is made fresh each time, nothing is written where the sources are. Not thread-safe.
 */
final class PeerBuild {

  private static final long TIMEOUT_MINUTES = 15;

  private final Path sources;
  private final Path buildRoot;
  private final PrintStream out;
  private final Function<Path, List<String>> buildCommand;

  /** {@code sources}: the folder of peer folders; {@code buildRoot}: where the copies go ({@code target/peers}). */
  PeerBuild(Path sources, Path buildRoot, PrintStream out) {
    this(sources, buildRoot, out, PeerBuild::mavenPackage);
  }

  /** With another build command for a copy (tests use a stub). */
  PeerBuild(Path sources, Path buildRoot, PrintStream out, Function<Path, List<String>> buildCommand) {
    this.sources = sources;
    this.buildRoot = buildRoot;
    this.out = out;
    this.buildCommand = buildCommand;
  }

  /** The peer's jar, built first when {@link #needsBuild}; throws naming the peer and the build's last lines. */
  Path jar(String peer) throws IOException, InterruptedException {
    Path source = sources.resolve(peer);
    if (!Files.isRegularFile(source.resolve("pom.xml"))) {
      throw new IllegalArgumentException("no peer '" + peer + "': " + source + " has no pom.xml (peers there: "
          + available() + ")");
    }
    Path copy = buildRoot.resolve(peer);
    Path jar = jarOf(copy);
    if (!needsBuild(source, jar)) {
      return jar;
    }
    out.println("building peer " + peer + " in " + copy + " (mvn -B -q package, once) ...");
    long start = System.nanoTime();
    deleteRecursively(copy);
    copyTree(source, copy);
    Path log = buildRoot.resolve(peer + "-build.log");
    int exit = run(buildCommand.apply(copy), copy, log);
    if (exit != 0 || !Files.isRegularFile(jar)) {
      throw new IllegalStateException("building peer " + peer + " failed (exit " + exit + "), " + log + ":\n  | "
          + String.join("\n  | ", tail(log, 20)));
    }
    out.printf(java.util.Locale.ROOT, "  built %s in %.0f s%n", jar, (System.nanoTime() - start) / 1e9);
    return jar;
  }

  /** {@code <copy>/target/peer.jar}. */
  static Path jarOf(Path copy) {
    return copy.resolve("target").resolve("peer.jar");
  }

  /** The command that builds a copy: Maven, quiet, the peer's own pom. */
  static List<String> mavenPackage(Path copy) {
    return List.of("mvn", "-B", "-q", "-f", copy.resolve("pom.xml").toString(), "package");
  }

  /** Whether {@code jar} is missing or older than any file under {@code source}. */
  static boolean needsBuild(Path source, Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      return true;
    }
    FileTime built = Files.getLastModifiedTime(jar);
    try (Stream<Path> files = Files.walk(source)) {
      return files.filter(Files::isRegularFile).anyMatch(f -> {
        try {
          return Files.getLastModifiedTime(f).compareTo(built) > 0;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private List<String> available() throws IOException {
    if (!Files.isDirectory(sources)) {
      return List.of("none, " + sources + " is missing");
    }
    try (Stream<Path> dirs = Files.list(sources)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).map(d -> d.getFileName().toString()).sorted()
          .toList();
    }
  }

  private static int run(List<String> command, Path dir, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return p.exitValue();
  }

  /** Copies a folder tree; the copies get new modification times (newer than the sources). */
  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> tail(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return List.of("(no log: " + e + ")");
    }
  }
}
