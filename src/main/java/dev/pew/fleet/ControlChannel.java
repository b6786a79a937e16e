package dev.pew.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's channel: the one partition of the control topic, written by every member and read by
 * every member, on a thread of its own. Reading starts a little in the past ({@code lookbackMs}) so
 * a new member learns the others' state from their last heartbeats; writes are sent from the same
 * thread (a send may block while the broker is away, and must never block an event loop). Records
 * that are no control message are counted and skipped.
 *
 * <p>Thread-safe: {@link #publish} from any thread; {@code receive} is called on the channel's
 * thread.
 */
public final class ControlChannel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);

  private final TopicPartition partition;
  private final Runnable ensureTopic;
  private final Map<String, Object> producerProps;
  private final Map<String, Object> consumerProps;
  private final long lookbackMs;
  private final Clock clock;
  private final ConcurrentLinkedQueue<ControlMessage> outbox = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;
  private volatile boolean closing;
  private volatile long lastRead;
  private volatile long lastWriteFailure;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /** @param ensureTopic creates the topic when missing; run on the channel's thread before each (re)connect */
  public ControlChannel(String topic, Runnable ensureTopic, Map<String, String> producerProps,
      Map<String, String> consumerProps, long lookbackMs, Clock clock) {
    this.partition = new TopicPartition(topic, 0);
    this.ensureTopic = ensureTopic;
    this.producerProps = new HashMap<>(producerProps);
    this.producerProps.put("linger.ms", "0");
    this.consumerProps = new HashMap<>(consumerProps);
    // A long poll: the broker answers a waiting fetch as soon as a record lands, so news arrives at once
    // (ControlChannelIT: 10-11 ms either way), and an idle member asks twice a second, not every 20 ms
    // (4 fetches in 2 s, not 86; its thread's CPU idle 0.7 % of a core, not 3.3 %).
    this.consumerProps.put("fetch.max.wait.ms", "500");
    this.lookbackMs = lookbackMs;
    this.clock = clock;
  }

  /** Starts reading; {@code receive} gets every control message, {@code skipped} a reason for every other record. */
  public void start(Consumer<List<ControlMessage>> receive, Consumer<String> skippedRecord) {
    thread = new Thread(() -> run(receive, skippedRecord), "pew-fleet");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a message for the others; sent within milliseconds, in order. */
  public void publish(ControlMessage message) {
    outbox.add(message);
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** When the channel last read the topic successfully (epoch millis; 0: never). */
  public long lastRead() {
    return lastRead;
  }

  /** When a write last failed (epoch millis; 0: never). */
  public long lastWriteFailure() {
    return lastWriteFailure;
  }

  private void run(Consumer<List<ControlMessage>> receive, Consumer<String> skippedRecord) {
    int failures = 0;
    while (!closed) {
      try {
        ensureTopic.run();
      } catch (RuntimeException e) {
        if (failures++ == 0) {
          LOG.warn("fleet: the control topic {} cannot be checked ({}); retrying", partition.topic(), e.getMessage());
        }
        sleep(Math.min(5000, 250L << Math.min(failures, 4)));
        continue;
      }
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
        c.assign(List.of(partition));
        OffsetAndTimestamp from = c.offsetsForTimes(Map.of(partition, clock.millis() - lookbackMs), Duration.ofSeconds(10)).get(partition);
        if (from != null) {
          c.seek(partition, from.offset());
        } else {
          c.seekToEnd(List.of(partition));
        }
        c.position(partition); // resolved now, before this member's first heartbeat goes out: it reads that one back

        // Only now may publish() wake the consumer: a wakeup during offsetsForTimes threw out of the set-up,
        // and every member's first heartbeat (sent at start) cost it a reconnect and half a second.
        consumer = c;
        if (failures > 0) {
          LOG.info("fleet: the control topic {} can be used again", partition.topic());
          failures = 0;
        }
        while (!closed) {
          send(producer);
          if (closing) {
            producer.flush(); // the last heartbeat or a leave goes out before the channel closes
            return;
          }
          try {
            List<ControlMessage> batch = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
              ControlMessage.decode(r.value()).ifPresentOrElse(batch::add, () -> {
                skippedRecord.accept("malformed");
              });
            }
            lastRead = clock.millis();
            if (!batch.isEmpty()) {
              receive.accept(batch);
            }
          } catch (WakeupException e) {
            // a message to send: the loop sends it first
          }
        }
      } catch (RuntimeException e) {
        if (closed || closing) {
          return;
        }
        if (failures++ == 0) {
          LOG.warn("fleet: the control topic {} cannot be used ({}); each instance keeps to a conservative share "
              + "meanwhile; retrying", partition.topic(), e.toString());
        }
        consumer = null;
        sleep(Math.min(5000, 250L << Math.min(failures, 4)));
      }
    }
  }

  private void send(KafkaProducer<byte[], byte[]> producer) {
    ControlMessage m;
    while ((m = outbox.poll()) != null) {
      producer.send(new ProducerRecord<>(partition.topic(), 0, m.group().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          m.encode()), (meta, error) -> {
            if (error != null) {
              lastWriteFailure = clock.millis();
              LOG.debug("fleet: a control message was not written ({})", error.toString());
            }
          });
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends what is queued (a leave, say), then stops. */
  @Override
  public void close() {
    closing = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
  }
}
