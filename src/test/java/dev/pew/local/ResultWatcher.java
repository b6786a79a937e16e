package dev.pew.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the result topics and the dead-letter topic from the beginning, on its own thread, into a
 * {@link ResultTally}, so the run can show progress and see when every input has its result. It
 * assigns partitions itself (no consumer group), so it never disturbs the worker's group.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, once or more.
 */
final class ResultWatcher implements AutoCloseable {

  private final String bootstrap;
  private final List<String> resultTopics;
  private final String deadLetterTopic;
  private final ResultTally tally;
  private final Thread thread;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private ResultWatcher(String bootstrap, List<String> resultTopics, String deadLetterTopic, ResultTally tally) {
    this.bootstrap = bootstrap;
    this.resultTopics = List.copyOf(resultTopics);
    this.deadLetterTopic = deadLetterTopic;
    this.tally = tally;
    this.thread = new Thread(this::loop, "local-run-result-watcher");
    this.thread.setDaemon(true);
  }

  static ResultWatcher start(String bootstrap, List<String> resultTopics, String deadLetterTopic, ResultTally tally) {
    ResultWatcher watcher = new ResultWatcher(bootstrap, resultTopics, deadLetterTopic, tally);
    watcher.thread.start();
    return watcher;
  }

  /** Why the watcher stopped early, or null while it is fine. */
  Throwable failure() {
    return failure;
  }

  private void loop() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      List<TopicPartition> partitions = new ArrayList<>();
      List<String> all = new ArrayList<>(resultTopics);
      all.add(deadLetterTopic);
      for (String topic : all) {
        c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(pi -> partitions.add(new TopicPartition(topic, pi.partition())));
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(deadLetterTopic)) {
            tally.addDeadLetter();
          } else {
            tally.add(r.value());
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (Throwable t) {
      failure = t;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(10_000);
  }
}
