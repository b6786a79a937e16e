package dev.pew.it;

import dev.pew.event.ResultEvents;
import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.testing.KafkaTestClient;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HappyPathIT {

  @Test
  void turnsEveryEventIntoOneSentResultAndCallsEachEmailOnce(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 3)) {
      int n = 300;
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String email = "user" + i + "@example.com";
        String value = "{\"eventId\":\"signup-" + i + "\",\"cname\":\"tenant-" + (i % 7) + "\",\"email\":\"" + email + "\"}";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(h.input, KafkaTestClient.bytes(email), KafkaTestClient.bytes(value));
        r.headers().add("traceparent", KafkaTestClient.bytes("00-trace-" + i));
        records.add(r);
      }
      h.kafka.sendAll(records);
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 16).build());

      h.awaitResults(n, Duration.ofSeconds(60));
      h.awaitAllCommitted(Duration.ofSeconds(30));

      List<ConsumerRecord<byte[], byte[]>> sentRecords = h.records(h.sent);
      assertThat(sentRecords).hasSize(n);
      assertThat(h.kafka.count(h.failed)).isZero();
      Map<String, ResultEvent> byId = sentRecords.stream()
          .map(r -> ResultEvents.fromJson(r.value()))
          .collect(Collectors.toMap(ResultEvent::eventId, e -> e));
      assertThat(byId).hasSize(n);
      ResultEvent r7 = byId.get("signup-7");
      assertThat(r7.status()).isEqualTo(Status.SENT);
      assertThat(r7.email()).isEqualTo("user7@example.com");
      assertThat(r7.cname()).isEqualTo("tenant-0");
      assertThat(r7.attempts()).isEqualTo(1);
      assertThat(r7.httpStatus()).isEqualTo(200);
      assertThat(r7.error()).isEmpty();
      assertThat(r7.source().topic()).isEqualTo(h.input);
      assertThat(r7.completedAt()).isAfterOrEqualTo(r7.receivedAt());

      ConsumerRecord<byte[], byte[]> first = sentRecords.get(0);
      ResultEvent firstEvent = ResultEvents.fromJson(first.value());
      assertThat(KafkaTestClient.text(first.key())).isEqualTo(firstEvent.email());
      assertThat(KafkaTestClient.header(first, "event-id")).isEqualTo(firstEvent.eventId());
      assertThat(KafkaTestClient.header(first, "traceparent")).startsWith("00-trace-");

      for (int i = 0; i < n; i++) {
        assertThat(h.sim.callsFor("user" + i + "@example.com")).as("calls for user" + i).isEqualTo(1);
      }
      assertThat(h.sim.totalCalls()).isEqualTo(n);
      Set<String> cnames = h.sim.calls().stream().map(c -> c.cname()).collect(Collectors.toSet());
      assertThat(cnames).hasSize(7);
      assertThat(h.sim.peakConcurrent()).isLessThanOrEqualTo(16);
    }
  }

  /**
   * An idle group intake waits in its poll for the broker's long poll (500 ms) rather than waking
   * twenty times a second; it still takes a new event as soon as it arrives. Read from the intake
   * consumer's own {@code time-between-poll-avg} over JMX (a 1 s metrics window, so that it follows the
   * idle time and not the busy one).
   */
  @Test
  void anIdleWorkerPollsTwiceASecondAndStillTakesANewEventAtOnce(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      Set<String> before = clientIds("consumer");
      h.kafka.sendAll(List.of(event(h, "idle-0")));
      h.deploy(h.config().kafkaConsumer(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "500",
          "metrics.sample.window.ms", "1000")).build());
      h.awaitResults(1, Duration.ofSeconds(60));
      h.awaitAllCommitted(Duration.ofSeconds(30));
      // The intake consumer is the one named by the instance id alone (pew-xxxxxxxx).
      String intake = clientIds("consumer").stream().filter(id -> !before.contains(id) && id.matches("pew-[0-9a-f]{8}"))
          .findFirst().orElseThrow();

      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long intakeThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("pew-intake"))
          .mapToLong(Thread::getId).findFirst().orElseThrow();
      long cpu0 = threads.getThreadCpuTime(intakeThread);
      long wall0 = System.nanoTime();
      org.awaitility.Awaitility.await("an idle poll loop that waits about 500 ms").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> timeBetweenPolls(intake) >= 300);
      double idleMs = timeBetweenPolls(intake);
      double cpuShare = 100.0 * (threads.getThreadCpuTime(intakeThread) - cpu0) / (System.nanoTime() - wall0);

      long t0 = System.nanoTime();
      h.kafka.sendAll(List.of(event(h, "idle-1")));
      h.awaitResults(2, Duration.ofSeconds(30));
      long calledMs = (h.sim.calls().stream().mapToLong(c -> c.startNanos()).max().orElseThrow() - t0) / 1_000_000;
      System.out.printf(java.util.Locale.ROOT, "MEASURED HappyPathIT idle intake: %.0f ms between polls, its thread at "
          + "%.2f %% of a core while it went idle; an event sent while idle was called %d ms after the send began%n",
          idleMs, cpuShare, calledMs);
      assertThat(h.sim.totalCalls()).isEqualTo(2);
    }
  }

  /**
   * The ledger's and the results' sends leave from the event loop and never wait there for a topic's
   * metadata: a send whose topic the producer does not know yet is refused (and retried). A started
   * worker fetches both producers' topics off the event loop before its first call, so an event sent
   * the moment it starts is called once and its sends are never refused; nor are the fleet channel's,
   * whose producer does wait for metadata, on its own thread. Read from each producer's own
   * {@code record-error-total} over JMX, which a refused send adds to.
   */
  @Test
  void aWorkerGivenAnEventAsItStartsKnowsItsTopicsBeforeItsFirstSend(Vertx vertx) throws Exception {
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.kafka.sendAll(List.of(event(h, "ledger-warm-0")));
      Set<String> before = clientIds("producer");
      h.deploy(h.config().build());
      h.awaitResults(1, Duration.ofSeconds(30));

      Set<String> producers = clientIds("producer");
      producers.removeAll(before);
      String ledger = producers.stream().filter(id -> id.endsWith("-ledger-results")).findFirst().orElseThrow();
      String results = ledger.replace("-ledger-results", "-results"); // the instance id's own producer
      assertThat(producers).contains(results);
      assertThat(metric("producer", ledger, "record-error-total")).as("ledger sends refused").isZero();
      assertThat(metric("producer", results, "record-error-total")).as("result sends refused").isZero();
      String control = ledger.replace("-ledger-results", "-control-results"); // on its own thread, it may wait
      assertThat(producers).contains(control);
      assertThat(metric("producer", control, "record-error-total")).as("control messages refused").isZero();
      assertThat(metric("producer", ledger, "record-send-total")).as("ledger records sent").isPositive();
      assertThat(h.sim.totalCalls()).isEqualTo(1);
    }
  }

  private static ProducerRecord<byte[], byte[]> event(WorkerHarness h, String id) {
    String email = id + "@example.com";
    return new ProducerRecord<>(h.input, KafkaTestClient.bytes(email),
        KafkaTestClient.bytes("{\"eventId\":\"" + id + "\",\"cname\":\"acme\",\"email\":\"" + email + "\"}"));
  }

  /** The client ids of this JVM's Kafka clients of one {@code kind}: {@code consumer} or {@code producer}. */
  private static Set<String> clientIds(String kind) throws Exception {
    return java.lang.management.ManagementFactory.getPlatformMBeanServer()
        .queryNames(new javax.management.ObjectName("kafka." + kind + ":type=" + kind + "-metrics,client-id=*"), null).stream()
        .map(n -> n.getKeyProperty("client-id")).collect(Collectors.toSet());
  }

  /** One of a Kafka client's own metrics over JMX; 0 while it has no value yet. */
  private static double metric(String kind, String clientId, String name) throws Exception {
    Object v = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
        new javax.management.ObjectName("kafka." + kind + ":type=" + kind + "-metrics,client-id=" + clientId), name);
    return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
  }

  /** The consumer's own average time between two polls, in ms ({@code time-between-poll-avg}). */
  private static double timeBetweenPolls(String clientId) throws Exception {
    return metric("consumer", clientId, "time-between-poll-avg");
  }
}
