package dev.pew.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.WorkerConfig;
import dev.pew.event.ErrorCategory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line: every bad argument stops with exit code 2 and one line on stderr naming it,
 * before any connection to Kafka; {@code --help} prints the usage; the configuration is the worker's
 * without the need for {@code XC_ENDPOINT_URL}.
 */
class ReplayCommandTest {

  /** A broker nobody listens on: a test that got as far as connecting would hang, not pass. */
  private static final Map<String, String> ENV = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "TOPIC_INPUT", "in");

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ReplayCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                             | --from: required",
      "--category NOT_FOUND                           | --from: required",
      "--from                                         | --from: needs a value",
      "--from --dry-run                               | --from: needs a value",
      "--from=                                        | --from: needs a value",
      "--from bad/topic                               | --from: must be a Kafka topic name",
      "--from dlq --from other                        | --from: given more than once",
      "--from dlq --category                          | --category: needs a value",
      "--from dlq --category GONE                     | --category: must be one of INVALID_EVENT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, REJECTED, RETRIES_EXHAUSTED, got \"GONE\"",
      "--from dlq --category NOT_FOUND,NOPE           | --category: must be one of",
      "--from dlq --since yesterday                   | --since: must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, got \"yesterday\"",
      "--from dlq --since 2026-11-27                  | --since: must be an ISO-8601 instant",
      "--from dlq --until 2026-13-01T00:00:00Z        | --until: must be an ISO-8601 instant",
      "--from dlq --since 2026-11-27T10:00:00Z --until 2026-11-27T09:00:00Z | --until: must be after --since (2026-11-27T10:00:00Z)",
      "--from dlq --since 2026-11-27T10:00:00Z --until 2026-11-27T10:00:00Z | --until: must be after --since",
      "--from dlq --since 2026-11-27T10:00:00Z --since 2026-11-28T10:00:00Z | --since: given more than once",
      "--from dlq --limit 0                           | --limit: must be a whole number >= 1, got \"0\"",
      "--from dlq --limit -3                          | --limit: must be a whole number >= 1, got \"-3\"",
      "--from dlq --limit ten                         | --limit: must be a whole number >= 1, got \"ten\"",
      "--from dlq --limit                             | --limit: needs a value",
      "--from dlq --dry-run=yes                       | --dry-run: takes no value",
      "--from dlq --verbose                           | --verbose: unknown argument",
      "--from dlq extra                               | extra: unexpected argument",
      "--from dlq --conf                              | --conf: needs a value",
      "--from in                                      | --from: is TOPIC_INPUT (in), where replay publishes to",
  })
  void aBadArgumentExits2WithOneLineNamingIt(String args, String expected) {
    Run r = run(ENV, args.isEmpty() ? new String[0] : split(args));

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines()).as("one line").hasSize(1);
    assertThat(r.err()).startsWith("password-email-worker replay: " + expected);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aConfigurationErrorExits2NamingTheKey() {
    Run r = run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "not a host list"), "--from", "dlq");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("password-email-worker replay: configuration error: KAFKA_BOOTSTRAP_SERVERS: ");
  }

  @Test
  void aMissingConfigFileExits2NamingConf() {
    Run r = run(ENV, "--from", "dlq", "--conf", dir.resolve("nope.json").toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("password-email-worker replay: configuration error: --conf: config file not found");
  }

  @Test
  void helpPrintsTheUsageAndExits0() {
    Run r = run(ENV, "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("usage: java -jar password-email-worker.jar replay --from TOPIC")
        .contains("--category C", "--since T", "--until T", "--limit N", "--dry-run", "RETRIES_EXHAUSTED", "replayed-from");
    assertThat(r.err()).isEmpty();
    assertThat(run(ENV, "--from", "dlq", "-h").out()).startsWith("usage:");
  }

  @Test
  void parsesEveryArgumentInBothSpellings() {
    ReplayArgs a = ReplayArgs.parse(List.of("--from=dlq", "--category", "not_found", "--category=CONFLICT,REJECTED",
        "--since", "2026-11-27T10:00:00Z", "--until=2026-11-27T12:00:00+01:00", "--limit", "7", "--dry-run", "--conf", "x.json"));

    assertThat(a.from()).isEqualTo("dlq");
    assertThat(a.categories()).containsExactly(ErrorCategory.NOT_FOUND, ErrorCategory.CONFLICT, ErrorCategory.REJECTED);
    assertThat(a.since()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(a.until()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
    assertThat(a.limit()).isEqualTo(7);
    assertThat(a.dryRun()).isTrue();
    assertThat(a.categoryMatches("NOT_FOUND")).isTrue();
    assertThat(a.categoryMatches("INVALID_EVENT")).isFalse();
    assertThat(a.timeMatches(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli())).as("since is inclusive").isTrue();
    assertThat(a.timeMatches(Instant.parse("2026-11-27T11:00:00Z").toEpochMilli())).as("until is exclusive").isFalse();
    assertThat(a.timeMatches(Instant.parse("2026-11-27T09:59:59.999Z").toEpochMilli())).isFalse();

    ReplayArgs plain = ReplayArgs.parse(List.of("--from", "dlq"));
    assertThat(plain.categories()).isEmpty();
    assertThat(plain.categoryMatches("INVALID_EVENT")).isTrue();
    assertThat(plain.timeMatches(0)).isTrue();
    assertThat(plain.limitValue()).isEmpty();
    assertThat(plain.dryRun()).isFalse();
  }

  @Test
  void theConfigurationNeedsNoEndpointButKeepsOneThatIsGiven() throws Exception {
    WorkerConfig without = ReplayCommand.load(List.of("--from", "dlq"), ENV).config();
    assertThat(without.get(dev.pew.config.Settings.XC_ENDPOINT_URL).toString()).isEqualTo(ReplayCommand.NO_ENDPOINT);
    assertThat(without.get(dev.pew.config.Settings.TOPIC_INPUT)).isEqualTo("in");

    Path conf = Files.writeString(dir.resolve("worker.json"), "{\"XC_ENDPOINT_URL\": \"https://t.example/no_auth/send_password_email\","
        + " \"TOPIC_INPUT\": \"signups\", \"kafka.common\": {\"security.protocol\": \"SASL_SSL\"}}");
    WorkerConfig from = ReplayCommand.load(List.of("--from", "dlq", "--conf", conf.toString()), Map.of()).config();
    assertThat(from.get(dev.pew.config.Settings.XC_ENDPOINT_URL).getHost()).isEqualTo("t.example");
    assertThat(from.get(dev.pew.config.Settings.TOPIC_INPUT)).isEqualTo("signups");
    assertThat(ReplayCommand.consumerProps(from)).containsEntry("security.protocol", "SASL_SSL");
    assertThat(ReplayCommand.producerProps(from)).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void theConsumerHasNoGroupAndTheProducerIsTheWorkersUnderBothGroupProtocols() {
    for (Map<String, String> env : List.of(ENV, Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_GROUP_PROTOCOL", "consumer"),
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_CONSUMER_GROUP_INSTANCE_ID", "pod-1"))) {
      WorkerConfig config = ReplayCommand.load(List.of(), env).config();
      Map<String, String> consumer = ReplayCommand.consumerProps(config);
      assertThat(consumer.keySet()).as(env.toString()).noneMatch(k -> k.startsWith("group."))
          .doesNotContain("partition.assignment.strategy", "session.timeout.ms");
      assertThat(consumer).containsEntry("enable.auto.commit", "false").containsEntry("bootstrap.servers", "127.0.0.1:1")
          .containsEntry("isolation.level", "read_committed");
      assertThat(ReplayCommand.producerProps(config)).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
          .containsEntry("client.id", "password-email-worker-replay");
    }
  }

  /** Splits on blanks, keeping single-quoted parts together. */
  private static String[] split(String args) {
    List<String> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out.toArray(String[]::new);
  }
}
