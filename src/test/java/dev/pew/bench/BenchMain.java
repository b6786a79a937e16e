package dev.pew.bench;

import dev.pew.local.EmbeddedLogs;
import dev.pew.testing.KafkaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./bench.sh [options]}: the benchmark. Starts a single-node KRaft broker as a process of
 * its own (the same Kafka jars, 127.0.0.1 only), then for each point the XC simulator and the worker as separate processes
 * started with the real start command, and writes {@code benchmark-results.md} and
 * {@code benchmark-throughput.svg}. See {@link BenchOptions#USAGE} and docs/benchmarks.md.
 *
 * <p>Exit code 0 when every point ran, 1 when one failed, 2 for a bad option.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("ledger")) {
      LedgerBench.main(java.util.Arrays.copyOfRange(args, 1, args.length)); // the ledger at scale: docs/benchmarks.md
      System.exit(0);
    }
    System.exit(exitCode(args));
  }

  private static int exitCode(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args, Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      return 2;
    }
    if (options == null) {
      System.out.println(BenchOptions.USAGE);
      return 0;
    }
    if (!Files.isRegularFile(options.jar())) {
      System.err.println("bench: " + options.jar() + " is missing (mvn -DskipTests package)");
      return 1;
    }
    KafkaProcess broker = null;
    Path brokerDir = null;
    try {
      Files.createDirectories(options.outputDir());
      EmbeddedLogs.redirectTo(options.outputDir().resolve("embedded.log"));
      // The broker in a process of its own, as in production: its GC and threads are not the
      // load generator's, and its CPU is measured apart.
      brokerDir = Files.createTempDirectory("pew-bench-kafka");
      broker = KafkaProcess.start(brokerDir);
      String bootstrap = broker.bootstrapServers();
      System.out.println("broker " + bootstrap + " (KRaft, own process, data in " + brokerDir + "); logs in "
          + options.outputDir());
      List<ProcessHandle> harness = new ArrayList<>(List.of(ProcessHandle.current()));
      broker.handle().ifPresent(harness::add);
      new Bench(options, bootstrap, harness, System.out).run();
      return 0;
    } catch (Exception e) {
      System.err.println("bench: failed: " + e.getMessage());
      e.printStackTrace(System.err);
      return 1;
    } finally {
      if (broker != null) {
        broker.stop();
      }
      if (brokerDir != null) {
        deleteRecursively(brokerDir);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }
}
