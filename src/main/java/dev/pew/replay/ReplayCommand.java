package dev.pew.replay;

import static dev.pew.config.Settings.TOPIC_INPUT;
import static dev.pew.config.Settings.XC_ENDPOINT_URL;

import dev.pew.config.ConfigException;
import dev.pew.config.ConfigLoader;
import dev.pew.config.LoadedConfig;
import dev.pew.config.WorkerConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code java -jar password-email-worker.jar replay --from TOPIC ...} (see {@link ReplayArgs#USAGE}):
 * republishes dead letters to {@code TOPIC_INPUT}, with a progress bar on stderr and a summary on
 * stdout. Exit codes: 0 done, 2 a bad argument or configuration (one line naming it), 1 Kafka could
 * not be read or written.
 *
 * <p>The configuration is the worker's, loaded the same way ({@code --conf FILE}, {@code
 * CONFIG_FILE}, {@code conf/config.json}, environment variables), so the same brokers, input topic
 * and Kafka security properties apply. Replay never calls the API: when {@code XC_ENDPOINT_URL} is
 * missing (or invalid), a placeholder stands in for it ({@link #NO_ENDPOINT}).
 */
public final class ReplayCommand {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_ARGUMENT = 2;
  /** Stands in for {@code XC_ENDPOINT_URL}, which the worker requires and replay does not use. */
  static final String NO_ENDPOINT = "https://replay.invalid/not-called";

  private static final String PREFIX = "password-email-worker replay: ";

  private ReplayCommand() {}

  /** The command's entry point: the arguments after {@code replay}, the environment, where to print. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, ProgressBar.isTerminal());
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
    ReplayArgs parsed;
    WorkerConfig config;
    try {
      parsed = ReplayArgs.parse(args);
      if (parsed.help()) {
        out.println(ReplayArgs.USAGE);
        return EXIT_OK;
      }
      config = load(args, env).config();
    } catch (ReplayArgs.BadArgument e) {
      err.println(PREFIX + e.getMessage());
      return EXIT_BAD_ARGUMENT;
    } catch (ConfigException e) {
      err.println(PREFIX + "configuration error: " + e.getMessage());
      return EXIT_BAD_ARGUMENT;
    }
    String input = config.get(TOPIC_INPUT);
    if (parsed.from().equals(input)) {
      err.println(PREFIX + "--from: is TOPIC_INPUT (" + input + "), where replay publishes to: name the dead-letter topic");
      return EXIT_BAD_ARGUMENT;
    }
    out.println("replay " + parsed.from() + " -> " + input + (parsed.dryRun() ? " (dry run: nothing is published)" : "")
        + (parsed.filters().isEmpty() ? "" : ", " + parsed.filters())
        + parsed.limitValue().map(l -> ", at most " + l).orElse(""));
    ProgressBar progress = new ProgressBar(err, terminal, System::nanoTime);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new HashMap<>(consumerProps(config)));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<>(producerProps(config)))) {
      Replayer.Counts counts = new Replayer(consumer, producer, parsed, input, out, progress).run();
      summary(out, parsed, input, counts);
      return EXIT_OK;
    } catch (ReplayArgs.BadArgument e) {
      progress.abandon();
      err.println(PREFIX + e.getMessage());
      return EXIT_BAD_ARGUMENT;
    } catch (Replayer.ReplayFailure | org.apache.kafka.common.KafkaException e) {
      progress.abandon();
      err.println(PREFIX + "failed: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  /** The worker's configuration; a placeholder for {@code XC_ENDPOINT_URL} when that is what stops it. */
  static LoadedConfig load(List<String> args, Map<String, String> env) {
    try {
      return ConfigLoader.load(args, env);
    } catch (ConfigException e) {
      if (!e.key().equals(XC_ENDPOINT_URL.name())) {
        throw e;
      }
      Map<String, String> withPlaceholder = new HashMap<>(env);
      withPlaceholder.put(XC_ENDPOINT_URL.name(), NO_ENDPOINT);
      return ConfigLoader.load(args, withPlaceholder);
    }
  }

  /**
   * The worker's consumer properties (brokers, security, read_committed, byte arrays) without a
   * group: replay assigns the partitions itself and commits nothing.
   */
  static Map<String, String> consumerProps(WorkerConfig config) {
    Map<String, String> p = new LinkedHashMap<>(config.kafka().consumer("password-email-worker-replay", 500));
    p.keySet().removeIf(k -> k.startsWith("group.") || k.equals(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
        || k.equals(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG) || k.equals(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return p;
  }

  /** The worker's producer properties: {@code acks=all}, idempotent. */
  static Map<String, String> producerProps(WorkerConfig config) {
    Map<String, String> p = new LinkedHashMap<>(config.kafka().producer("password-email-worker-replay"));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "password-email-worker-replay");
    return p;
  }

  private static void summary(PrintStream out, ReplayArgs args, String input, Replayer.Counts c) {
    long skipped = c.skippedCategory + c.skippedTime;
    row(out, "read", c.read + " records of " + args.from() + " (" + c.partitions + " partition" + (c.partitions == 1 ? "" : "s")
        + ", up to the end offsets at start" + (c.limitReached ? "; stopped at --limit " + args.limit() : "") + ")");
    row(out, "matched", c.matched + (args.filters().isEmpty() ? " (no filter)" : " (" + args.filters() + ")"));
    row(out, "published", args.dryRun() ? "0 (dry run; " + c.queued + " would be published to " + input + ")"
        : c.published.get() + " to " + input + " (acknowledged, acks=all)");
    row(out, "skipped by filter", skipped + (skipped == 0 ? "" : " (category " + c.skippedCategory + ", time " + c.skippedTime + ")"));
    if (c.notDeadLetters > 0) {
      row(out, "not dead letters", c.notDeadLetters + " (no error-category header; left alone)");
    }
  }

  private static void row(PrintStream out, String label, String value) {
    out.println(String.format(Locale.ROOT, "  %-18s %s", label, value));
  }
}
