package dev.pew.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./bench.sh} runs: which points, how long and how often, and with which worker JVM
 * options. Immutable; {@link #parse} validates.
 */
public record BenchOptions(Path projectDir, Path jar, Path outputDir, Path reportDir, String matrix, List<BenchPoint> points,
    int seconds, int warmupSeconds, int pacedSeconds, int repeats, int maxEvents, double maxPacedRate, List<String> workerJvmOptions,
    Map<String, String> workerEnv, List<PeerPoint> peerPoints, List<String> peers, List<String> peerJvmOptions,
    Path peersSource, List<String> args) {

  /** The peers compared with when a run has comparison points and {@code --peers} does not say. */
  public static final List<String> DEFAULT_PEERS = List.of("pc-vertx", "naive");

  public static final String USAGE = """
      usage: ./bench.sh [options]
        --matrix NAME        default | full | quick | peers | peers-quick (default: default; see docs/benchmarks.md)
        --points LIST        instead of a matrix: comma-separated points, latencyMs/maxInFlight/partitions/instances
                             (20/64/6/1) or kafka/partitions for the raw Kafka ceiling (kafka/6); comparison points
                             with the peers: cold:20/64/6/1[:events] (fresh JVMs, a fixed backlog, default 20000,
                             40000 from 256 in flight) or warm:20/64/6/1
        --peers LIST         peers to run beside the worker at the comparison points, from ../shared/peers
                             (default pc-vertx,naive); alone it means --matrix peers
        --peer-jvm-opts "OPTS"  JVM options of each peer process (default none: JVM defaults, as the peers' README says)
        --peers-src DIR      the peers' sources, built under target/peers/ (default ../shared/peers)
        --seconds N          target length of each backlog (throughput) run, seconds (default 30)
        --warmup-seconds N   unmeasured backlog first, so the JIT has compiled the hot path (default 30)
        --paced-seconds N    length of each open-loop (latency) run, seconds (default 10)
        --repeats N          runs per point; the report gives the median and the spread (default 3)
        --max-events N       largest backlog (default 400000)
        --jar FILE           the worker jar to measure (default target/password-email-worker.jar), for before/after
        --jvm-opts "OPTS"    JVM options of each worker process (default "-Xmx128m -XX:+UseSerialGC", as in the
                             Kubernetes pod)
        --env KEY=VALUE      extra worker setting, repeatable (for example --env MAX_BUFFERED=512); not for peers
        --out DIR            logs and raw rows (default target/bench)
        --report-to DIR      where benchmark-results.md and benchmark-throughput.svg go (default: --out)
      """;

  public BenchOptions {
    points = List.copyOf(points);
    workerJvmOptions = List.copyOf(workerJvmOptions);
    workerEnv = Map.copyOf(workerEnv);
    peerPoints = List.copyOf(peerPoints);
    peers = List.copyOf(peers);
    peerJvmOptions = List.copyOf(peerJvmOptions);
    args = List.copyOf(args);
  }

  /** Parses the command line; null for {@code --help}. Throws with a message naming the bad option. */
  public static BenchOptions parse(String[] argv, Path projectDir) {
    String matrix = null;
    List<String> specs = null;
    List<String> peers = null;
    List<String> peerJvm = List.of();
    Path peersSource = projectDir.resolve("../shared/peers").normalize();
    int seconds = 30;
    int pacedSeconds = 10;
    int warmupSeconds = 30;
    int repeats = 3;
    int maxEvents = 400_000;
    List<String> jvm = List.of("-Xmx128m", "-XX:+UseSerialGC");
    Map<String, String> env = new LinkedHashMap<>();
    Path out = projectDir.resolve("target/bench");
    Path report = null;
    Path jar = projectDir.resolve("target/password-email-worker.jar");
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + a);
      }
      String v = argv[++i];
      switch (a) {
        case "--matrix" -> matrix = v;
        case "--points" -> specs = Arrays.asList(v.split(","));
        case "--peers" -> peers = peerNames(v);
        case "--peer-jvm-opts" -> peerJvm = v.isBlank() ? List.of() : List.of(v.strip().split("\\s+"));
        case "--peers-src" -> peersSource = projectDir.resolve(v).normalize();
        case "--seconds" -> seconds = positive(a, v);
        case "--paced-seconds" -> pacedSeconds = positive(a, v);
        case "--warmup-seconds" -> warmupSeconds = positive(a, v);
        case "--repeats" -> repeats = positive(a, v);
        case "--max-events" -> maxEvents = positive(a, v);
        case "--jvm-opts" -> jvm = v.isBlank() ? List.of() : List.of(v.strip().split("\\s+"));
        case "--env" -> {
          int eq = v.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--env wants KEY=VALUE, got '" + v + "'");
          }
          env.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--out" -> out = projectDir.resolve(v);
        case "--jar" -> jar = projectDir.resolve(v);
        case "--report-to" -> report = projectDir.resolve(v);
        default -> throw new IllegalArgumentException("unknown option: " + a);
      }
    }
    List<BenchPoint> points = new ArrayList<>();
    List<PeerPoint> peerPoints = new ArrayList<>();
    if (specs != null) {
      matrix = "custom"; // --points wins over --matrix
      for (String spec : specs) {
        if (PeerPoint.isSpec(spec)) {
          peerPoints.add(PeerPoint.parse(spec));
        } else {
          points.add(BenchPoint.parse(spec));
        }
      }
    } else {
      matrix = matrix != null ? matrix : peers != null ? "peers" : "default";
      points.addAll(BenchPlan.matrix(matrix));
      peerPoints.addAll(BenchPlan.peerMatrix(matrix));
    }
    if (peers != null && peerPoints.isEmpty()) {
      throw new IllegalArgumentException("--peers runs at comparison points: --matrix peers, or --points with "
          + "cold:20/64/6/1 or warm:20/64/6/1");
    }
    peers = peerPoints.isEmpty() ? List.of() : peers != null ? peers : DEFAULT_PEERS;
    if (matrix.equals("quick") || matrix.equals("peers-quick")) {
      // quick is a smoke run: make it short unless told otherwise
      seconds = Arrays.asList(argv).contains("--seconds") ? seconds : 5;
      pacedSeconds = Arrays.asList(argv).contains("--paced-seconds") ? pacedSeconds : 3;
      repeats = Arrays.asList(argv).contains("--repeats") ? repeats : 1;
      warmupSeconds = Arrays.asList(argv).contains("--warmup-seconds") ? warmupSeconds : 2;
    }
    return new BenchOptions(projectDir, jar, out, report == null ? out : report, matrix, points, seconds, warmupSeconds, pacedSeconds,
        repeats, maxEvents, 5_000, jvm, env, peerPoints, peers, peerJvm, peersSource, List.of(argv));
  }

  /** Peer names: folder names under the peers' sources, comma-separated, each once. */
  private static List<String> peerNames(String value) {
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      String n = name.strip();
      if (!n.matches("[a-z0-9][a-z0-9._-]*") || n.equals(Contender.WORKER)) {
        throw new IllegalArgumentException("--peers wants peer folder names such as pc-vertx,naive, got '" + value
            + "'");
      }
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  /** Whether this run compares the worker with peers. */
  public boolean comparesPeers() {
    return !peerPoints.isEmpty();
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(option + " wants a positive whole number, got '" + value + "'");
  }

  /** The command line as it was given, for the report. */
  public String commandLine() {
    List<String> parts = new ArrayList<>();
    parts.add("./bench.sh");
    for (String a : args) {
      parts.add(a.contains(" ") ? "\"" + a + "\"" : a);
    }
    return String.join(" ", parts);
  }

  public String describe() {
    String what = points.isEmpty() ? "" : String.format(Locale.ROOT, "%d points", points.size());
    if (comparesPeers()) {
      what += (what.isEmpty() ? "" : " and ") + String.format(Locale.ROOT, "%d comparison points with %s",
          peerPoints.size(), String.join(", ", peers));
    }
    return String.format(Locale.ROOT, "%s (%s), %d repeat(s), backlog runs of about %d s after a warm-up of "
        + "about %d s, latency runs of %d s, "
        + "worker JVM options %s%s%s%s", what, matrix, repeats, seconds, warmupSeconds, pacedSeconds,
        workerJvmOptions.isEmpty() ? "(none)" : String.join(" ", workerJvmOptions),
        workerEnv.isEmpty() ? "" : ", worker settings " + workerEnv,
        jar.equals(projectDir.resolve("target/password-email-worker.jar")) ? "" : ", jar " + jar,
        comparesPeers() ? ", peer JVM options " + (peerJvmOptions.isEmpty() ? "(none: JVM defaults)"
            : String.join(" ", peerJvmOptions)) : "");
  }
}
