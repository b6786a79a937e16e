package dev.pew.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.kafka.KafkaClients;
import dev.pew.testing.KafkaProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectPublisher} sends from the event loop, where Kafka's {@code send} must not wait for a
 * topic's metadata. On a broker process of its own, which the test kills.
 */
class DirectPublisherIT {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  /** The publisher under test, closed after the test (and after its broker). */
  private DirectPublisher publisher;

  @AfterEach
  void closePublisherAndVertx() throws Exception {
    if (publisher != null) {
      close(context, publisher);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * A send after the broker crashed returns at once when the topic's metadata was fetched ahead: the
   * record waits in the producer, and the event loop goes on. Without the fetch ahead the send would
   * keep the event loop for {@code max.block.ms}, a minute here, and the test would fail after 15 s.
   */
  @Test
  void aWarmedTopicsSendReturnsAtOnceAfterTheBrokerCrashed(@TempDir Path dir) throws Exception {
    try (KafkaProcess broker = KafkaProcess.start(dir)) {
      String topic = createTopic(broker, "ledger-warm");
      publisher = new DirectPublisher(context, Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.LINGER_MS_CONFIG, "0",
          ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000",
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000"), Clock.systemUTC());
      warm(publisher, topic);

      broker.close(); // kill -9: no controlled shutdown, no last word to the producer
      CompletableFuture<Future<Void>> returned = new CompletableFuture<>();
      context.runOnContext(v -> returned.complete(
          publisher.send(new ProducerRecord<>(topic, bytes("k"), bytes("v")))));

      Future<Void> sent = returned.get(15, TimeUnit.SECONDS);
      assertThat(sent.isComplete()).as("a send waiting for the broker: neither acknowledged nor failed").isFalse();
    }
  }

  /**
   * A producer that finds no broker rebootstraps (Kafka 4's {@code metadata.recovery.strategy}
   * default) and forgets every topic, so a send during the outage lacks its topic's metadata; with
   * the worker's event-loop producer properties it is refused at once and retried, instead of keeping
   * the event loop for {@code max.block.ms} (10 s with the worker's other producers' properties). A
   * send every 20 ms through a kill -9 and a restart: no send keeps the loop, the loop's ticks never
   * stall, and every send is acknowledged once the broker is back.
   */
  @Test
  void sendsThroughABrokerOutageNeverKeepTheEventLoopAndAllGetThrough(@TempDir Path dir) throws Exception {
    try (KafkaProcess broker = KafkaProcess.start(dir)) {
      String topic = createTopic(broker, "ledger-outage");
      publisher = new DirectPublisher(context, new KafkaClients(broker.bootstrapServers(), "outage",
          new KafkaClients.Sections(), false).eventLoopProducer("outage"), Clock.systemUTC());
      warm(publisher, topic);

      List<Future<Void>> sent = new CopyOnWriteArrayList<>();
      AtomicLong longestSendNanos = new AtomicLong();
      AtomicLong longestGapNanos = new AtomicLong();
      AtomicInteger ticks = new AtomicInteger();
      AtomicBoolean sending = new AtomicBoolean(true);
      context.runOnContext(v -> {
        long[] last = {System.nanoTime()};
        vertx.setPeriodic(20, id -> {
          long now = System.nanoTime();
          longestGapNanos.accumulateAndGet(now - last[0], Math::max);
          last[0] = now;
          if (!sending.get()) {
            vertx.cancelTimer(id);
            return;
          }
          long t0 = System.nanoTime();
          sent.add(publisher.send(new ProducerRecord<>(topic, bytes("k"), bytes("v" + ticks.get()))));
          longestSendNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
          ticks.incrementAndGet();
        });
      });
      awaitTicks(ticks, 20);
      broker.close(); // kill -9: the producer finds no broker and rebootstraps
      awaitTicks(ticks, ticks.get() + 250); // about 5 s of sends without a broker
      broker.resume();
      awaitTicks(ticks, ticks.get() + 25);
      sending.set(false);

      org.awaitility.Awaitility.await("every send acknowledged").atMost(Duration.ofSeconds(90))
          .until(() -> sent.stream().allMatch(Future::isComplete));
      assertThat(sent).hasSizeGreaterThan(290).allMatch(Future::succeeded);
      assertThat(Duration.ofNanos(longestSendNanos.get())).as("the longest send call").isLessThan(Duration.ofSeconds(1));
      assertThat(Duration.ofNanos(longestGapNanos.get())).as("the longest gap between two 20 ms ticks")
          .isLessThan(Duration.ofSeconds(2));
    }
  }

  /** Until the event loop has ticked {@code n} times in all; bounded, so a stalled loop fails the test. */
  private static void awaitTicks(AtomicInteger ticks, int n) {
    org.awaitility.Awaitility.await("tick " + n).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> ticks.get() >= n);
  }

  @Test
  void warmingATopicThatCannotBeDescribedStillSucceeds() throws Exception {
    // Nothing listens on the loopback's port 9 (discard): the fetch times out, the warm reports nothing.
    // The clock moves 5 s each time it is read, so the fetch gives up at its second ask, not after 10 s.
    AtomicLong millis = new AtomicLong();
    Clock leaping = new Clock() {
      @Override
      public long millis() {
        return millis.addAndGet(5_000);
      }

      @Override
      public java.time.Instant instant() {
        return java.time.Instant.ofEpochMilli(millis());
      }

      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    publisher = new DirectPublisher(context, Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "0"), leaping);
    Future<Void> warmed = publisher.warm(List.of("nowhere"));
    warmed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(warmed.succeeded()).isTrue();
  }

  private static String createTopic(KafkaProcess broker, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    return topic;
  }

  /** Fetches the topic's metadata ahead, as the worker does at start, and waits for it. */
  private static void warm(DirectPublisher publisher, String topic) throws Exception {
    publisher.warm(List.of(topic)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void close(Context context, DirectPublisher publisher) throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    context.runOnContext(v -> publisher.close(Duration.ofSeconds(1)).onComplete(ar -> closed.complete(null)));
    try {
      closed.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // An event loop a send still keeps (the failure the test reports): not a second failure.
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
