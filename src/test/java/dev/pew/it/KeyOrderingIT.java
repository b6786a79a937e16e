package dev.pew.it;

import dev.pew.event.ResultEvents;
import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.config.Ordering;
import dev.pew.event.ResultEvent;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ORDERING=key on a single input partition: the calls of one key never overlap and follow the
 * key's offset order, its results land in that order, and yet different keys run concurrently,
 * far beyond the one partition. With ORDERING=unordered the same data does overlap calls of a key,
 * which shows the check can fail.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class KeyOrderingIT {

  private static final int KEYS = 20;
  private static final int PER_KEY = 10;
  private static final int MAX_IN_FLIGHT = 16;
  private static final int WARM_UP = 48;

  @Test
  void callsOfOneKeyNeverOverlapAndFollowOffsetOrderWhileKeysRunConcurrently(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, randomLatency())) {
      WorkerVerticle worker = startWarm(h, Ordering.KEY);
      h.sim.resetPeak();
      backlog(h);
      h.awaitResults(WARM_UP + KEYS * PER_KEY, Duration.ofSeconds(40));

      assertThat(h.results(h.failed)).isEmpty();
      Map<String, List<XcSimulator.Call>> byKey = callsByKey(h.sim);
      assertThat(byKey).hasSize(KEYS);
      List<Integer> inOrder = IntStream.range(0, PER_KEY).boxed().toList();
      byKey.forEach((key, calls) -> {
        assertThat(calls).as("calls of %s in offset order, each once", key).extracting(KeyOrderingIT::seq).isEqualTo(inOrder);
        for (int i = 1; i < calls.size(); i++) {
          assertThat(calls.get(i).startNanos()).as("call %d of %s starts after call %d ended", i, key, i - 1)
              .isGreaterThan(calls.get(i - 1).endNanos());
        }
      });
      Map<String, List<Integer>> results = resultSeqsByKey(h);
      results.forEach((key, seqs) -> assertThat(seqs).as("results of %s in order", key).isEqualTo(inOrder));
      assertThat(results).hasSize(KEYS);

      int peak = h.sim.peakConcurrent();
      System.out.printf("MEASURED KeyOrderingIT key: peakConcurrent(sim)=%d peakInFlight(worker)=%d maxInFlight=%d "
          + "partitions=1 keys=%d calls=%d%n", peak, h.sim.peakConcurrent(), MAX_IN_FLIGHT, KEYS,
          byKey.values().stream().mapToInt(List::size).sum());
      assertThat(peak).as("keys run concurrently beyond the one partition").isGreaterThan(1);
      assertThat(peak).as("and close to MAX_IN_FLIGHT").isGreaterThanOrEqualTo(MAX_IN_FLIGHT / 2);
      assertThat(peak).isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }
  }

  @Test
  void unorderedRunsCallsOfOneKeyTogether(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, randomLatency())) {
      startWarm(h, Ordering.UNORDERED);
      h.sim.resetPeak();
      backlog(h);
      h.awaitResults(WARM_UP + KEYS * PER_KEY, Duration.ofSeconds(40));

      Map<String, List<XcSimulator.Call>> byKey = callsByKey(h.sim);
      long keysWithOverlap = byKey.values().stream().filter(KeyOrderingIT::overlapping).count();
      long keysOutOfOrder = resultSeqsByKey(h).values().stream()
          .filter(seqs -> !seqs.equals(seqs.stream().sorted().toList())).count();
      System.out.printf("MEASURED KeyOrderingIT unordered: keysWithOverlappingCalls=%d keysWithResultsOutOfOrder=%d "
          + "peakConcurrent=%d%n", keysWithOverlap, keysOutOfOrder, h.sim.peakConcurrent());
      assertThat(keysWithOverlap).as("keys whose calls overlapped").isPositive();
    }
  }

  /**
   * Runs a first batch of other keys so the measured records meet a worker in its steady state (in
   * the group, connections open, code warmed up) rather than its first second.
   */
  private static WorkerVerticle startWarm(WorkerHarness h, Ordering ordering) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < WARM_UP; i++) {
      String id = String.format("warm%02d-0", i);
      records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes(keyOf(id)),
          KafkaTestClient.bytes("{\"eventId\":\"" + id + "\",\"email\":\"" + id + "@example.com\"}")));
    }
    h.kafka.sendAll(records);
    WorkerVerticle worker = h.deploy(h.config().with(dev.pew.config.Settings.MAX_IN_FLIGHT, MAX_IN_FLIGHT).with(ORDERING, ordering).build());
    h.awaitResults(WARM_UP, Duration.ofSeconds(30));
    return worker;
  }

  private static SimulatorOptions randomLatency() {
    return new SimulatorOptions().latency(Duration.ofMillis(10), Duration.ofMillis(60));
  }

  /** Interleaved: key00-0, key01-0, ..., key19-0, key00-1, ...; the email encodes key and sequence. */
  private static void backlog(WorkerHarness h) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int seq = 0; seq < PER_KEY; seq++) {
      for (int k = 0; k < KEYS; k++) {
        String key = String.format("key%02d", k);
        String id = key + "-" + seq;
        records.add(new ProducerRecord<>(h.input, KafkaTestClient.bytes(key),
            KafkaTestClient.bytes("{\"eventId\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"cname\":\"acme\"}")));
      }
    }
    h.kafka.sendAll(records);
  }

  private static Map<String, List<XcSimulator.Call>> callsByKey(XcSimulator sim) {
    return sim.calls().stream()
        .filter(c -> c.email().startsWith("key"))
        .sorted(Comparator.comparingLong(XcSimulator.Call::startNanos))
        .collect(Collectors.groupingBy(c -> keyOf(c.email()), TreeMap::new, Collectors.toList()));
  }

  /** Each key's result sequence numbers, in the order the results topic (one partition) holds them. */
  private static Map<String, List<Integer>> resultSeqsByKey(WorkerHarness h) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : h.records(h.sent)) {
      ResultEvent e = ResultEvents.fromJson(r.value());
      if (!e.eventId().startsWith("key")) {
        continue; // warm-up
      }
      assertThat(KafkaTestClient.text(r.key())).isEqualTo(keyOf(e.eventId()));
      out.computeIfAbsent(keyOf(e.eventId()), k -> new ArrayList<>()).add(seqOf(e.eventId()));
    }
    return out;
  }

  private static boolean overlapping(List<XcSimulator.Call> sortedByStart) {
    long latestEnd = Long.MIN_VALUE;
    for (XcSimulator.Call call : sortedByStart) {
      if (call.startNanos() < latestEnd) {
        return true;
      }
      latestEnd = Math.max(latestEnd, call.endNanos());
    }
    return false;
  }

  private static String keyOf(String idOrEmail) {
    return idOrEmail.substring(0, idOrEmail.indexOf('-'));
  }

  private static int seq(XcSimulator.Call call) {
    return seqOf(call.email().substring(0, call.email().indexOf('@')));
  }

  private static int seqOf(String id) {
    return Integer.parseInt(id.substring(id.indexOf('-') + 1));
  }
}
