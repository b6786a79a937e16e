package dev.pew.results;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectPublisher} sends from the event loop, where Kafka's {@code send} must not wait for a
 * topic's metadata. On a broker process of its own, which the test kills.
 */
class DirectPublisherIT {

  /**
   * A send after the broker crashed returns at once when the topic's metadata was fetched ahead: the
   * record waits in the producer, and the event loop goes on. Without the fetch ahead the send would
   * keep the event loop for {@code max.block.ms}, a minute here, and the test would fail after 15 s.
   */
  @Test
  void aWarmedTopicsSendReturnsAtOnceAfterTheBrokerCrashed(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    Context context = vertx.getOrCreateContext();
    DirectPublisher publisher = null;
    try (KafkaProcess broker = KafkaProcess.start(dir)) {
      String topic = "ledger-warm";
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      publisher = new DirectPublisher(context, Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.LINGER_MS_CONFIG, "0",
          ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000",
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000"), Clock.systemUTC());
      publisher.warm(List.of(topic)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      broker.close(); // kill -9: no controlled shutdown, no last word to the producer
      DirectPublisher p = publisher;
      CompletableFuture<Future<Void>> returned = new CompletableFuture<>();
      context.runOnContext(v -> returned.complete(
          p.send(new ProducerRecord<>(topic, bytes("k"), bytes("v")))));

      Future<Void> sent = returned.get(15, TimeUnit.SECONDS);
      assertThat(sent.isComplete()).as("a send waiting for the broker: neither acknowledged nor failed").isFalse();
    } finally {
      if (publisher != null) {
        close(context, publisher);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void warmingATopicThatCannotBeDescribedStillSucceeds() throws Exception {
    Vertx vertx = Vertx.vertx();
    Context context = vertx.getOrCreateContext();
    try {
      // Nothing listens on the loopback's port 9 (discard): the fetch times out, the warm reports nothing.
      DirectPublisher publisher = new DirectPublisher(context, Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
          ProducerConfig.MAX_BLOCK_MS_CONFIG, "200"), Clock.systemUTC());
      Future<Void> warmed = publisher.warm(List.of("nowhere"));
      warmed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(warmed.succeeded()).isTrue();
      close(context, publisher);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
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
