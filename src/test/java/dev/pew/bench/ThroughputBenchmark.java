package dev.pew.bench;

import dev.pew.WorkerVerticle;
import dev.pew.sim.SimulatorOptions;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Throughput of one worker against the simulator at a fixed latency, for several concurrency
 * limits, on the in-JVM broker. Not a test: run it by hand and read the numbers (they depend on the
 * machine). The ideal is MAX_IN_FLIGHT / latency; the gap is the worker's own overhead (intake,
 * result publishing, commits).
 *
 * <pre>
 * mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.pew.bench.ThroughputBenchmark [events] [latencyMs]
 * </pre>
 */
public final class ThroughputBenchmark {

  private ThroughputBenchmark() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Vertx vertx = Vertx.vertx();
    try {
      System.out.printf("%d events per run, API latency %d ms%n", events, latencyMs);
      System.out.printf("%-14s %-14s %-14s %-10s%n", "MAX_IN_FLIGHT", "events/s", "ideal/s", "of ideal");
      for (int maxInFlight : new int[] {16, 64, 256}) {
        double rate = run(vertx, events, latencyMs, maxInFlight);
        double ideal = maxInFlight * 1000.0 / latencyMs;
        System.out.printf("%-14d %-14.0f %-14.0f %.0f%%%n", maxInFlight, rate, ideal, 100 * rate / ideal);
      }
    } finally {
      vertx.close();
      System.exit(0);
    }
  }

  private static double run(Vertx vertx, int events, int latencyMs, int maxInFlight) {
    SimulatorOptions sim = new SimulatorOptions().latency(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyMs))
        .magicEmails(false);
    try (WorkerHarness h = WorkerHarness.start(vertx, 6, sim)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events);
      for (int i = 0; i < events; i++) {
        String email = "bench" + i + "@example.com";
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
            KafkaTestClient.bytes("{\"eventId\":\"b" + i + "\",\"email\":\"" + email + "\"}")));
      }
      h.kafka.sendAll(records);
      long start = System.nanoTime();
      WorkerVerticle worker = h.deploy(h.config().maxInFlight(maxInFlight).build());
      h.awaitResults(events, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      h.undeploy(worker);
      return events / seconds;
    }
  }
}
