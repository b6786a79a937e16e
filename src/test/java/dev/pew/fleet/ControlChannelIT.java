package dev.pew.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.KafkaTestClient;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The control channel on a real broker: an idle member's reader waits at the broker for news
 * (a long poll) instead of asking again every few milliseconds, and news still arrives at once,
 * since the broker answers a waiting fetch as soon as a record lands.
 */
class ControlChannelIT {

  private static final long IDLE_MS = 2_000;

  @Test
  void anIdleMemberFetchesAFewTimesASecondAndStillHearsTheOthersAtOnce() throws Exception {
    KafkaTestClient kafka = KafkaTestClient.shared();
    String topic = KafkaTestClient.unique("control");
    List<Long> heardAtNanos = new CopyOnWriteArrayList<>();
    String readerId = KafkaTestClient.unique("ctl-reader-b");
    try (ControlChannel a = channel(kafka, topic, "a");
        ControlChannel b = channel(kafka, topic, readerId)) {
      a.start(batch -> {}, skipped -> {});
      b.start(batch -> batch.stream().filter(m -> m.instance().equals("a")).forEach(m -> heardAtNanos.add(System.nanoTime())),
          skipped -> {});
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.lastRead() > 0 && b.lastRead() > 0);
      // a's first message, as a member's first heartbeat at start: its producer learns the topic's leader.
      a.publish(message("a", ControlMessage.HEARTBEAT));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !heardAtNanos.isEmpty());
      heardAtNanos.clear();

      // Idle: how often b's reader asked the broker for records over IDLE_MS.
      long fetchesBefore = fetches(readerId);
      long idleFrom = System.nanoTime();
      Awaitility.await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10))
          .until(() -> System.nanoTime() - idleFrom >= IDLE_MS * 1_000_000);
      long idleFetches = fetches(readerId) - fetchesBefore;

      // News: a's pause, from publish to b's hearing it.
      long sentAt = System.nanoTime();
      a.publish(message("a", ControlMessage.PAUSE));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !heardAtNanos.isEmpty());
      long heardAfterMs = (heardAtNanos.get(0) - sentAt) / 1_000_000;

      System.out.printf("MEASURED ControlChannelIT: %d fetches in %d ms idle; a pause heard %d ms after it was published%n",
          idleFetches, IDLE_MS, heardAfterMs);
      // A fetch waits up to 500 ms at the broker: about 4 in 2 s. Asking every 20 ms was about 100.
      assertThat(idleFetches).as("fetches by an idle member's reader in %d ms", IDLE_MS).isBetween(1L, 12L);
      // Well within the fleet's 1 s for a pause to reach every member; a poll period would be 500 ms.
      assertThat(heardAfterMs).as("ms from publish to the other member hearing it").isLessThan(250);
    }
  }

  private static ControlMessage message(String instance, String type) {
    long now = System.currentTimeMillis();
    return new ControlMessage(type, "g", instance, now, 0, null, null, type.equals(ControlMessage.PAUSE) ? now + 10_000 : 0);
  }

  private static ControlChannel channel(KafkaTestClient kafka, String topic, String clientId) {
    Map<String, String> common = Map.of("bootstrap.servers", kafka.bootstrap(), "client.id", clientId);
    return new ControlChannel(topic, () -> ControlTopic.ensure(kafka.admin(), topic), common, common, 60_000,
        Clock.systemUTC());
  }

  /** The consumer's own count of fetch requests sent ({@code fetch-total}), read over JMX. */
  private static long fetches(String clientId) throws Exception {
    Object total = ManagementFactory.getPlatformMBeanServer().getAttribute(
        new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=" + clientId), "fetch-total");
    return ((Number) total).longValue();
  }
}
