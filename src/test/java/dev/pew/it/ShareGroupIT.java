package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ErrorCategory;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.ops.WorkerMetrics;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code INTAKE=share} on the real broker: four workers on a two-partition topic all call the API
 * (the simulator tells them apart by their tokens); a kill -9 of one loses nothing and repeats at
 * most the calls it had in flight; a SIGTERM of one repeats nothing and the others finish what it
 * had queued; garbage records get one result each; a Retry-After longer than the acquisition lock
 * causes no second delivery. The test group's lock is 4 s, so renewals happen within seconds.
 */
@ExtendWith(VertxExtension.class)
class ShareGroupIT {

  private static final Duration LOCK = Duration.ofSeconds(4);

  @TempDir Path dir;

  private static String token(int i) {
    return "tok-member-" + i;
  }

  /** Calls per worker, told apart by the token each sent. */
  private static Map<String, Long> callsPerToken(XcSimulator sim) {
    return sim.calls().stream().collect(Collectors.groupingBy(c -> String.valueOf(c.authorization()).replace("APIToken ", ""),
        TreeMap::new, Collectors.counting()));
  }

  private static Map<String, Long> callsPerEmail(XcSimulator sim) {
    return sim.calls().stream().collect(Collectors.groupingBy(c -> String.valueOf(c.email()), Collectors.counting()));
  }

  private static long repeated(Map<String, Long> perEmail) {
    return perEmail.values().stream().mapToLong(c -> c - 1).sum();
  }

  private static Map<String, List<ResultEvent>> byId(WorkerHarness h, String topic) {
    return h.results(topic).stream().collect(Collectors.groupingBy(ResultEvent::eventId));
  }

  private static double counter(WorkerMetrics m, String name) {
    var c = m.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  private WorkerVerticle member(WorkerHarness h, int i, int maxInFlight, WorkerMetrics metrics) {
    return h.deploy(h.config().with(XC_API_TOKEN, token(i)).with(MAX_IN_FLIGHT, maxInFlight).build(), metrics);
  }

  @Test
  @Timeout(180)
  void fourMembersOnTwoPartitionsAllCallTheApiAndEveryEventEndsOnce(Vertx vertx) {
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(20), Duration.ofMillis(40));
    try (WorkerHarness h = WorkerHarness.start(vertx, 2, slow).shareGroup(LOCK, 5)) {
      int n = 1200;
      h.backlog("four", n);
      List<WorkerMetrics> metrics = new ArrayList<>();
      List<WorkerVerticle> members = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        WorkerMetrics m = new WorkerMetrics(new SimpleMeterRegistry());
        metrics.add(m);
        members.add(member(h, i, 8, m));
      }
      h.awaitResults(n, Duration.ofSeconds(120));
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> members.stream().allMatch(w -> w.status().inGroup() && w.status().assignedPartitions() >= 1));

      Map<String, Long> perToken = callsPerToken(h.sim);
      Map<String, Long> perEmail = callsPerEmail(h.sim);
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT four members, 2 partitions, %d events: calls per member %s, "
          + "repeated calls %d, assigned partitions %s%n", n, perToken, repeated(perEmail),
          members.stream().map(w -> w.status().assignedPartitions()).toList());
      assertThat(perToken).as("every member called the API").containsOnlyKeys(token(0), token(1), token(2), token(3))
          .allSatisfy((t, calls) -> assertThat(calls).isPositive());
      assertThat(perEmail).hasSize(n).allSatisfy((e, calls) -> assertThat(calls).as(e).isEqualTo(1));
      assertThat(byId(h, h.sent)).hasSize(n).allSatisfy((id, r) -> assertThat(r).hasSize(1));
      assertThat(h.kafka.count(h.failed)).isZero();
      assertThat(metrics).allSatisfy(m -> assertThat(counter(m, "pew.share.redeliveries")).isZero());
      assertThat(members).allSatisfy(w -> assertThat(w.status().assignedPartitions()).isBetween(1, 2));
    }
  }

  /**
   * An upstream redelivery (the same events again, new records with the same keys) is answered from
   * the ledger by whichever member takes it, also when another member made the call: every member
   * follows the sends all of them record. Without that a member knew only its own sends and those
   * recorded before it started, and about half the replays were called a second time.
   */
  @Test
  @Timeout(180)
  void aReplayedEventIsAnsweredFromTheLedgerByWhicheverMemberTakesIt(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2).shareGroup(LOCK, 5)) {
      int n = 100;
      List<WorkerVerticle> members = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        members.add(member(h, i, 8, new WorkerMetrics(new SimpleMeterRegistry())));
      }
      // Both members in the share group, with partitions, before the events exist: else the first one
      // assigned acquires all 100 (four lanes of 25) and the other calls nothing the first time.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> members.stream().allMatch(w -> w.status().assignedPartitions() > 0 && w.status().restoringPartitions() == 0));
      h.backlog("rp", n);
      h.awaitResults(n, Duration.ofSeconds(90));
      Map<String, Long> firstCalls = callsPerToken(h.sim);
      // Each member's memory holds every send, its own and the other's.
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> members.stream().allMatch(w -> w.status().ledgerEntries() >= n));
      h.backlog("rp", n); // the producer sends them all again
      h.awaitResults(2 * n, Duration.ofSeconds(90));
      Map<String, List<ResultEvent>> results = byId(h, h.sent);
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT replay of %d events over two members: first calls per member %s, "
          + "calls in all %d, ledger entries per member %s%n", n, firstCalls, h.sim.totalCalls(),
          members.stream().map(w -> w.status().ledgerEntries()).toList());
      assertThat(firstCalls).as("both members called the API the first time").hasSize(2);
      assertThat(callsPerEmail(h.sim)).hasSize(n).allSatisfy((e, calls) -> assertThat(calls).as(e).isEqualTo(1));
      assertThat(results).hasSize(n).allSatisfy((id, r) -> {
        assertThat(r).as(id).hasSize(2);
        ResultEvent replay = r.stream().filter(e -> e.attempts() == 0).findFirst().orElseThrow();
        ResultEvent sent = r.stream().filter(e -> e.attempts() == 1).findFirst().orElseThrow();
        assertThat(replay.duplicateOf()).as(id).isEqualTo(sent.source());
      });
    }
  }

  /** The environment of a member process: this harness's share group, its own token. */
  private static Map<String, String> processEnv(WorkerHarness h, int i, int maxInFlight, int maxBuffered) {
    Map<String, String> env = h.processEnv();
    env.put("XC_API_TOKEN", token(i));
    env.put("MAX_IN_FLIGHT", Integer.toString(maxInFlight));
    env.put("MAX_BUFFERED", Integer.toString(maxBuffered));
    env.put("SHUTDOWN_GRACE_MS", "15000");
    return env;
  }

  @Test
  @Timeout(240)
  void killMinus9OfOneMemberLosesNothingAndRepeatsAtMostItsCallsInFlight(Vertx vertx) {
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(200));
    try (WorkerHarness h = WorkerHarness.start(vertx, 2, slow).shareGroup(LOCK, 5)) {
      int n = 2500;
      int maxInFlight = 16;
      h.backlog("kill", n);
      List<WorkerMetrics> metrics = new ArrayList<>();
      long victimCalls;
      long victimUnanswered;
      long resultsAtKill;
      long killedAt;
      try (WorkerProcess victim = WorkerProcess.start(processEnv(h, 0, maxInFlight, 64), dir.resolve("victim.log"))) {
        // The others join once the victim calls, so that it holds records of both partitions when it dies.
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> callsPerToken(h.sim).getOrDefault(token(0), 0L) >= 40);
        for (int i = 1; i < 4; i++) {
          WorkerMetrics m = new WorkerMetrics(new SimpleMeterRegistry());
          metrics.add(m);
          member(h, i, maxInFlight, m);
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> callsPerToken(h.sim).getOrDefault(token(0), 0L) >= 120
            && callsPerToken(h.sim).size() == 4);
        killedAt = System.nanoTime(); // the simulator's clock
        victim.kill();
        victim.waitFor(Duration.ofSeconds(10));
        resultsAtKill = h.kafka.count(h.sent, h.failed);
      }
      // The victim's calls the simulator had not answered when the victim died: its calls in flight.
      victimCalls = h.sim.calls().stream().filter(c -> token(0).equals(tokenOf(c))).count();
      victimUnanswered = h.sim.calls().stream().filter(c -> token(0).equals(tokenOf(c)) && c.startNanos() <= killedAt
          && (!c.answered() || c.endNanos() >= killedAt)).count();
      assertThat(resultsAtKill).as("mid-backlog").isLessThan(n);

      h.awaitResults(n, Duration.ofSeconds(150));
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> byId(h, h.sent).size() == n);
      Map<String, Long> perEmail = callsPerEmail(h.sim);
      Map<String, Long> perToken = callsPerToken(h.sim);
      Map<String, List<ResultEvent>> sent = byId(h, h.sent);
      long duplicateResults = sent.values().stream().mapToLong(r -> r.size() - 1).sum();
      double redelivered = metrics.stream().mapToDouble(m -> counter(m, "pew.share.redeliveries")).sum();
      double recovered = metrics.stream().mapToDouble(m -> counter(m, "pew.sends.recovered")).sum();
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT kill -9 of one of four members (MAX_IN_FLIGHT %d): calls per "
          + "member %s; the victim made %d calls, %d of them unanswered when it died; results before the kill %d; repeated calls %d; "
          + "redelivered to the others %.0f, answered from the ledger without a call %.0f, duplicate results %d%n",
          maxInFlight, perToken, victimCalls, victimUnanswered, resultsAtKill, repeated(perEmail), redelivered, recovered,
          duplicateResults);
      assertThat(sent).as("nothing lost").hasSize(n);
      assertThat(h.kafka.count(h.failed)).isZero();
      assertThat(repeated(perEmail)).as("repeated calls: at most the victim's calls in flight")
          .isLessThanOrEqualTo(maxInFlight);
      assertThat(redelivered).as("the victim's records went to the others").isPositive();
      List<String> victimEmails = h.sim.calls().stream().filter(c -> token(0).equals(tokenOf(c))).map(c -> c.email()).toList();
      assertThat(perEmail.entrySet()).filteredOn(e -> e.getValue() > 1)
          .allSatisfy(e -> assertThat(victimEmails).as("only the victim's calls repeat").contains(e.getKey()));
    }
  }

  private static String tokenOf(XcSimulator.Call c) {
    return String.valueOf(c.authorization()).replace("APIToken ", "");
  }

  @Test
  @Timeout(240)
  void sigtermOfOneMemberRepeatsNothingAndTheOthersFinishItsQueuedRecords(Vertx vertx) {
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(200));
    try (WorkerHarness h = WorkerHarness.start(vertx, 2, slow).shareGroup(LOCK, 5)) {
      int n = 1200;
      h.backlog("term", n);
      List<WorkerMetrics> metrics = new ArrayList<>();
      String output;
      try (WorkerProcess victim = WorkerProcess.start(processEnv(h, 0, 4, 64), dir.resolve("term.log"))) {
        victim.awaitOutput("share intake: group", Duration.ofSeconds(60));
        for (int i = 1; i < 4; i++) {
          WorkerMetrics m = new WorkerMetrics(new SimpleMeterRegistry());
          metrics.add(m);
          member(h, i, 8, m);
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> callsPerToken(h.sim).getOrDefault(token(0), 0L) >= 40
            && callsPerToken(h.sim).size() == 4);
        victim.terminate();
        int code = victim.waitFor(Duration.ofSeconds(40));
        output = victim.output();
        assertThat(code).as(output).isZero();
      }
      assertThat(output).contains("shutdown: drained").contains("exiting with code 0");
      String summary = output.lines().filter(l -> l.contains("shutdown: ")).findFirst().orElseThrow();
      h.awaitResults(n, Duration.ofSeconds(150));
      Map<String, Long> perEmail = callsPerEmail(h.sim);
      double redelivered = metrics.stream().mapToDouble(m -> counter(m, "pew.share.redeliveries")).sum();
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT SIGTERM of one of four members: calls per member %s, repeated "
          + "calls %d, redelivered to the others %.0f; the victim said: %s%n", callsPerToken(h.sim), repeated(perEmail),
          redelivered, summary.substring(summary.indexOf("shutdown: ")));
      assertThat(summary).doesNotContain("released 0 queued");
      assertThat(redelivered).as("the others took over what it released").isPositive();
      assertThat(perEmail).hasSize(n).allSatisfy((e, calls) -> assertThat(calls).as(e).isEqualTo(1));
      assertThat(byId(h, h.sent)).hasSize(n).allSatisfy((id, r) -> assertThat(r).as(id).hasSize(1));
    }
  }

  @Test
  @Timeout(180)
  void garbageRecordsGetOneResultEachAndEveryRecordIsAcknowledged(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2).shareGroup(LOCK, 5)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      int valid = 0;
      int garbage = 0;
      for (int i = 0; i < 40; i++) {
        byte[] key = KafkaTestClient.bytes("g" + i);
        byte[] value = switch (i % 8) {
          case 0 -> KafkaTestClient.bytes("not json " + i);
          case 1 -> KafkaTestClient.bytes("{\"eventId\":\"bad-email-" + i + "\",\"email\":\"nobody\"}");
          case 2 -> new byte[] {(byte) 0xff, (byte) 0xfe, (byte) i};
          case 3 -> KafkaTestClient.bytes("[1,2," + i + "]");
          case 4 -> new byte[70_000];
          case 5 -> null; // tombstone: no result
          default -> KafkaTestClient.bytes("{\"eventId\":\"ok-" + i + "\",\"email\":\"ok" + i + "@example.com\"}");
        };
        if (value == null) {
          // skipped
        } else if (i % 8 >= 6) {
          valid++;
        } else {
          garbage++;
        }
        records.add(new ProducerRecord<>(h.input, key, value));
      }
      h.kafka.sendAll(records);
      for (int i = 0; i < 4; i++) {
        member(h, i, 8, new WorkerMetrics(new SimpleMeterRegistry()));
      }
      int expected = valid + garbage;
      h.awaitResults(expected, Duration.ofSeconds(90));
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> groupLag(h) == 0);
      Thread.sleep(1000); // nothing more comes
      List<ResultEvent> all = new ArrayList<>(h.results(h.sent));
      all.addAll(h.results(h.failed));
      Map<String, Long> perSource = all.stream().collect(Collectors.groupingBy(
          r -> r.source().partition() + "@" + r.source().offset(), Collectors.counting()));
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT garbage: %d valid and %d garbage records (and tombstones) on four "
          + "members: %d results, calls per member %s%n", valid, garbage, all.size(), callsPerToken(h.sim));
      assertThat(perSource).hasSize(expected).allSatisfy((src, count) -> assertThat(count).as(src).isEqualTo(1));
      assertThat(h.results(h.failed)).hasSize(garbage)
          .allSatisfy(r -> assertThat(r.error().orElseThrow().category()).isEqualTo(ErrorCategory.INVALID_EVENT));
      assertThat(h.results(h.sent)).hasSize(valid).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.SENT));
      assertThat(h.sim.totalCalls()).isEqualTo(valid);
    }
  }

  /** The share group's lag summed over the input partitions (records not yet acknowledged). */
  private static long groupLag(WorkerHarness h) throws Exception {
    var offsets = h.kafka.admin().listShareGroupOffsets(Map.of(h.group, new org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec()))
        .partitionsToOffsetInfo(h.group).get(10, java.util.concurrent.TimeUnit.SECONDS);
    long lag = 0;
    for (var info : offsets.values()) {
      lag += info == null ? 1 : info.lag().orElse(1L);
    }
    return offsets.isEmpty() ? 1 : lag;
  }

  @Test
  @Timeout(180)
  void aRetryAfterLongerThanTheLockCausesNoSecondCall(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2).shareGroup(LOCK, 5)) {
      int n = 200;
      List<String> throttled = List.of("ra3@example.com", "ra77@example.com", "ra150@example.com");
      throttled.forEach(e -> h.sim.respond(e, 429, 1, "10")); // 10 s: two and a half locks
      h.backlog("ra", n);
      List<WorkerMetrics> metrics = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        WorkerMetrics m = new WorkerMetrics(new SimpleMeterRegistry());
        metrics.add(m);
        member(h, i, 4, m);
      }
      // Every event answered (not n results: a prefetched batch that went back to the group can bring a
      // second, ledger-answered result, and the count would be reached before the last throttled email).
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
          .until(() -> byId(h, h.sent).size() >= n);
      Map<String, Long> perEmail = callsPerEmail(h.sim);
      double renewals = metrics.stream().mapToDouble(m -> counter(m, "pew.share.lock.renewals")).sum();
      double redelivered = metrics.stream().mapToDouble(m -> counter(m, "pew.share.redeliveries")).sum();
      double lost = metrics.stream().mapToDouble(m -> counter(m, "pew.share.locks.lost")).sum();
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT Retry-After 10 s over a %d s lock: lock renewals %.0f, "
          + "redeliveries %.0f, locks lost %.0f, calls per member %s, calls of the throttled emails %s%n",
          LOCK.toSeconds(), renewals, redelivered, lost, callsPerToken(h.sim),
          throttled.stream().map(perEmail::get).toList());
      // What a second call of an email was, where it came from and which results it had: printed with the failure.
      Map<String, List<ResultEvent>> results = byId(h, h.sent);
      StringBuilder unexpected = new StringBuilder();
      perEmail.forEach((e, calls) -> {
        if (calls != (throttled.contains(e) ? 2 : 1)) {
          unexpected.append(String.format(Locale.ROOT, "%n%s called %d times: %s; results %s", e, calls,
              h.sim.calls().stream().filter(c -> c.email().equals(e)).toList(), results.get(e.replace("@example.com", ""))));
        }
      });
      assertThat(renewals).as("locks were renewed while the Retry-After lasted").isPositive();
      assertThat(lost).as("no record in the pipeline lost its lock").isZero();
      assertThat(perEmail).hasSize(n);
      assertThat(unexpected).as("emails called other than once (the throttled ones: a 429, then the call after it); "
          + "redeliveries %.0f", redelivered).isEmpty();
      // One result per delivery: a record delivered again after its send (a batch the consumer had
      // prefetched and whose lock ran out meanwhile) is answered from the ledger, never called again.
      Map<String, List<ResultEvent>> answered = byId(h, h.sent);
      long ledgerAnswers = answered.values().stream().mapToLong(r -> r.size() - 1).sum();
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT Retry-After: %d second results, each answered from the ledger%n",
          ledgerAnswers);
      assertThat(answered).hasSize(n).allSatisfy((id, r) -> {
        assertThat(r.stream().filter(e -> e.attempts() > 0)).as(id + ": results of a call").hasSize(1);
        assertThat(r.stream().filter(e -> e.attempts() == 0)).as(id + ": the others answered from the ledger")
            .allSatisfy(e -> assertThat(e.duplicateOf()).isNotNull());
      });
    }
  }

  @Test
  @Timeout(120)
  void aRecordOnTheLastDeliveryTheGroupAllowsFailsAsRetriesExhaustedWithoutACall(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1).shareGroup(LOCK, 2)) {
      h.kafka.alterGroupConfig(h.group, Map.of("share.auto.offset.reset", "earliest"));
      int n = 6;
      h.backlog("last", n); // one producer batch on one partition: one poll takes them all
      // Another member takes them all once and lets them go (as a worker that crashed would): delivery 1 of 2.
      java.util.Properties p = new java.util.Properties();
      p.put("bootstrap.servers", h.kafka.bootstrap());
      p.put("group.id", h.group);
      p.put("share.acknowledgement.mode", "explicit");
      java.util.Set<Long> released = new java.util.TreeSet<>();
      try (var other = new org.apache.kafka.clients.consumer.KafkaShareConsumer<byte[], byte[]>(p,
          new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        other.subscribe(List.of(h.input));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (released.size() < n && System.nanoTime() < until) {
          for (var r : other.poll(Duration.ofMillis(500))) {
            assertThat(r.deliveryCount()).as("taken once only").hasValue((short) 1);
            other.acknowledge(r, org.apache.kafka.clients.consumer.AcknowledgeType.RELEASE);
            released.add(r.offset());
          }
          other.commitSync(Duration.ofSeconds(10));
        }
      }
      assertThat(released).hasSize(n);
      h.deploy(h.config().with(TOPIC_DEAD_LETTER, h.deadLetter).build());
      h.awaitResults(n, Duration.ofSeconds(60));
      List<ResultEvent> failed = h.results(h.failed);
      System.out.printf(Locale.ROOT, "MEASURED ShareGroupIT delivery limit 2: %d records on their last delivery: %d FAILED "
          + "results, %d calls, %d dead letters%n", n, failed.size(), h.sim.totalCalls(), h.kafka.count(h.deadLetter));
      assertThat(failed).hasSize(n).allSatisfy(r -> {
        assertThat(r.error().orElseThrow().category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
        assertThat(r.error().orElseThrow().message()).contains("delivered 2 times").contains("delivery limit");
        assertThat(r.attempts()).isZero();
      });
      assertThat(h.sim.totalCalls()).isZero();
      assertThat(h.kafka.count(h.deadLetter)).as("replayable").isEqualTo(n);
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> groupLag(h) == 0);
    }
  }
}
