package dev.pew.bench;

import dev.pew.ledger.LedgerRecord;
import dev.pew.testing.KafkaProcess;
import dev.pew.testing.KafkaTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./bench.sh ledger [--entries N] [--intake group|share] [--jvm-opts "..."]}: the ledger at scale. A broker process,
 * a ledger partition filled with {@code N} recent sends (1,000,000 by default), then the worker jar
 * with {@code -Xmx128m} restoring it: the restore time (the worker's own log line), the heap after
 * the restore (GC log) and RSS, and whether redeliveries of pre-filled ids are answered without a
 * call. Prints one summary line; nothing is asserted.
 */
public final class LedgerBench {

  private static final Pattern RESTORED = Pattern.compile("ledger: restored (\\d+) sends .* in (\\d+) ms");

  private LedgerBench() {}

  public static void main(String[] args) throws Exception {
    int entries = 1_000_000;
    String intake = "group";
    List<String> jvm = new ArrayList<>(List.of("-Xmx128m"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--entries" -> entries = Integer.parseInt(args[++i]);
        case "--jvm-opts" -> jvm = List.of(args[++i].trim().split("\\s+"));
        case "--intake" -> intake = args[++i];
        default -> {
          System.err.println("usage: ./bench.sh ledger [--entries N] [--intake group|share] [--jvm-opts \"-Xmx128m ...\"]");
          System.exit(2);
        }
      }
    }
    Path project = Path.of("").toAbsolutePath();
    Path work = Files.createDirectories(project.resolve("target/bench/ledger"));
    Path brokerDir = Files.createTempDirectory("pew-ledger-bench-kafka");
    KafkaProcess broker = KafkaProcess.start(brokerDir);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      String bootstrap = broker.bootstrapServers();
      admin.createTopics(List.of(new NewTopic("in", 1, (short) 1), new NewTopic("sent", 1, (short) 1),
          new NewTopic("failed", 1, (short) 1), new NewTopic("ledger", 1, (short) 1).configs(Map.of(
              "cleanup.policy", "compact,delete", "retention.ms", Long.toString(25 * 3_600_000L))))).all().get(30, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      fill(bootstrap, entries);
      System.out.printf(Locale.ROOT, "ledger filled with %,d entries in %.1f s%n", entries, (System.nanoTime() - t0) / 1e9);
      int fresh = 100;
      int redelivered = 100;
      try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
          input.add(new ProducerRecord<>("in", bytes("n" + i), bytes("{\"eventId\":\"new-" + i + "\",\"email\":\"n" + i + "@example.com\"}")));
        }
        for (int i = 0; i < redelivered; i++) {
          int id = i * (entries / redelivered);
          input.add(new ProducerRecord<>("in", bytes("p" + id), bytes("{\"eventId\":\"pre-" + id + "\",\"email\":\"p" + id + "@example.com\"}")));
        }
        kafka.sendAll(input);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        dev.pew.sim.XcSimulator simulator = dev.pew.sim.XcSimulator.start(vertx, new dev.pew.sim.SimulatorOptions())
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
          java.util.function.Supplier<dev.pew.sim.XcSimulator> sim = () -> simulator;
          Map<String, String> env = new HashMap<>();
          env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
          env.put("KAFKA_GROUP_ID", "ledger-bench");
          env.put("INTAKE", intake);
          env.put("TOPIC_INPUT", "in");
          env.put("TOPIC_SENT", "sent");
          env.put("TOPIC_FAILED", "failed");
          env.put("TOPIC_LEDGER", "ledger");
          env.put("XC_ENDPOINT_URL", sim.get().url());
          env.put("HTTP_PORT", "0");
          env.put("STATUS_INTERVAL_MS", "0");
          Path log = work.resolve("worker.log");
          long started = System.nanoTime();
          BenchProcess worker = BenchProcess.worker(project, project.resolve("target/password-email-worker.jar"), jvm, env, 0, log);
          try {
            Matcher restored = awaitLine(log, RESTORED, Duration.ofMinutes(3));
            double untilRestored = (System.nanoTime() - started) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (kafka.count("sent", "failed") < fresh + redelivered && System.nanoTime() < deadline) {
              Thread.sleep(200);
            }
            long calls = sim.get().totalCalls();
            System.out.printf(Locale.ROOT, "MEASURED ledger restore: %s sends restored in %s ms (%.1f s after the worker's "
                + "start); results %d of %d; API calls %d for %d new and %d redelivered events; heap peak %.0f MiB, "
                + "after GC %.0f MiB, RSS %d MiB, JVM %s, INTAKE=%s%n", restored.group(1), restored.group(2), untilRestored,
                kafka.count("sent", "failed"), fresh + redelivered, calls, fresh, redelivered, worker.heapMiB()[0],
                worker.heapMiB()[1], (long) worker.peakRssMiB(), jvm, intake);
          } finally {
            worker.close();
          }
        } finally {
          vertx.close();
        }
      }
    } finally {
      broker.stop();
    }
  }

  private static void fill(String bootstrap, int entries) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "20");
    p.put("batch.size", Integer.toString(1 << 20));
    p.put("compression.type", "lz4");
    long now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < entries; i++) {
        long sentAt = now - (long) (i % 1000) * 60_000; // spread over the last 16 hours
        producer.send(new ProducerRecord<>("ledger", 0, bytes("pre-" + i), new LedgerRecord(0, i, sentAt, 1, 200).encode()));
      }
      producer.flush();
    }
  }

  private static Matcher awaitLine(Path log, Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher m = pattern.matcher(Files.readString(log));
        if (m.find()) {
          return m;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no line matching " + pattern + " in " + log);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
