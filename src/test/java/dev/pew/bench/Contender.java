package dev.pew.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What runs at a comparison point: password-email-worker or one of the peers in {@code
 * ../shared/peers/} (docs/benchmarks.md, "Peers"). Each is a process of its own, {@code java
 * <jvmOptions> -jar <jar>}, configured by its environment. Immutable.
 *
 * @param name {@link #WORKER} or the peer's folder name ({@code pc-vertx}, {@code naive})
 * @param jar the jar to run
 * @param jvmOptions its JVM options: the worker's {@code --jvm-opts}, for peers {@code
 *     --peer-jvm-opts} (none by default: their README says JVM defaults)
 */
public record Contender(String name, Path jar, List<String> jvmOptions) {

  /** The name of password-email-worker among the contenders. */
  public static final String WORKER = "worker";

  public Contender {
    jvmOptions = List.copyOf(jvmOptions);
  }

  public static Contender worker(BenchOptions options) {
    return new Contender(WORKER, options.jar(), options.workerJvmOptions());
  }

  public boolean isWorker() {
    return name.equals(WORKER);
  }

  /** The name in tables: {@code password-email-worker} for the worker, the peer's name otherwise. */
  public static String title(String name) {
    return name.equals(WORKER) ? "password-email-worker" : switch (name) {
      case "pc-vertx" -> "Parallel Consumer + Vert.x";
      default -> name;
    };
  }
}
