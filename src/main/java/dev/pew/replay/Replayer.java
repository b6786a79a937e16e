package dev.pew.replay;

import dev.pew.event.Redact;
import dev.pew.event.ResultHeaders;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Reads a dead-letter topic up to the end offsets it finds at start and publishes the dead letters
 * that pass the filters to the input topic: key and value as they are, the original headers without
 * the dead-letter ones, and {@code replayed-from: <topic>-<partition>-<offset>}. The consumer is
 * assigned every partition itself (no consumer group, nothing committed); the producer is the
 * worker's ({@code acks=all}, idempotent), and every send must be acknowledged before it returns.
 *
 * <p>Not thread-safe: one run, on the calling thread (the producer's callbacks only count).
 */
final class Replayer {

  /** The header naming the dead letter a replayed input came from. */
  static final String REPLAYED_FROM = "replayed-from";
  /** Headers the worker adds to a dead letter (and a previous replay's mark): none goes back to the input. */
  static final Set<String> DROPPED_HEADERS = Set.of(ResultHeaders.ERROR_CATEGORY, ResultHeaders.ERROR_MESSAGE,
      ResultHeaders.SOURCE_TOPIC, ResultHeaders.SOURCE_PARTITION, ResultHeaders.SOURCE_OFFSET, REPLAYED_FROM);

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(500);
  /** Reading stops with an error when no record arrives and no position moves for this long. */
  private static final Duration STALL = Duration.ofSeconds(60);

  /** Told about progress after each poll. */
  interface Progress {
    void update(Counts counts, long total);

    void done(Counts counts, long total);
  }

  /** What a run did so far; {@code published} counts acknowledgements. */
  static final class Counts {
    long read;
    long matched;
    long skippedCategory;
    long skippedTime;
    long notDeadLetters;
    long queued;
    final AtomicLong published = new AtomicLong();
    boolean limitReached;
    int partitions;
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final ReplayArgs args;
  private final String input;
  private final PrintStream out;
  private final Progress progress;

  Replayer(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, ReplayArgs args, String input,
      PrintStream out, Progress progress) {
    this.consumer = consumer;
    this.producer = producer;
    this.args = args;
    this.input = input;
    this.out = out;
    this.progress = progress;
  }

  /**
   * Runs the replay.
   *
   * @throws ReplayArgs.BadArgument when {@code --from} names no topic
   * @throws ReplayFailure when Kafka cannot be read or a record is not acknowledged
   */
  Counts run() {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(args.from(), METADATA_TIMEOUT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new ReplayFailure("Kafka did not answer within " + METADATA_TIMEOUT.toSeconds() + " s (" + e.getMessage() + ")");
    }
    if (infos == null || infos.isEmpty()) {
      throw new ReplayArgs.BadArgument("--from", "topic " + args.from() + " does not exist");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    partitions.sort(Comparator.comparingInt(TopicPartition::partition));
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> start = startOffsets(partitions, end);
    long total = 0;
    List<TopicPartition> remaining = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      consumer.seek(tp, start.get(tp));
      if (start.get(tp) < end.get(tp)) {
        total += end.get(tp) - start.get(tp);
        remaining.add(tp);
      }
    }
    Counts counts = new Counts();
    counts.partitions = partitions.size();
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    long lastMove = System.nanoTime();
    Map<TopicPartition, Long> lastPositions = new HashMap<>();
    while (!remaining.isEmpty() && !counts.limitReached && sendFailure.get() == null) {
      boolean moved = false;
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        moved = true;
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() >= end.get(tp)) {
          continue; // written after the start: not this run's
        }
        handle(r, counts, sendFailure);
        if (counts.limitReached) {
          break;
        }
      }
      List<TopicPartition> finished = remaining.stream().filter(tp -> consumer.position(tp) >= end.get(tp)).toList();
      if (!finished.isEmpty()) {
        remaining.removeAll(finished);
        consumer.pause(finished); // records written since the start are not this run's
      }
      for (TopicPartition tp : remaining) {
        long position = consumer.position(tp);
        moved |= !Long.valueOf(position).equals(lastPositions.put(tp, position));
      }
      if (moved) {
        lastMove = System.nanoTime();
      } else if (System.nanoTime() - lastMove > STALL.toNanos()) {
        throw new ReplayFailure("no progress reading " + args.from() + " for " + STALL.toSeconds() + " s");
      }
      progress.update(counts, total);
    }
    producer.flush();
    progress.done(counts, total);
    if (sendFailure.get() != null) {
      throw new ReplayFailure((counts.queued - counts.published.get()) + " of " + counts.queued
          + " records were not acknowledged by Kafka: " + sendFailure.get());
    }
    return counts;
  }

  private Map<TopicPartition, Long> startOffsets(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, METADATA_TIMEOUT));
    if (args.since() != null) {
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(tp -> times.put(tp, args.since().toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, METADATA_TIMEOUT);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp at = found.get(tp);
        start.put(tp, at == null ? end.get(tp) : Math.max(start.get(tp), at.offset()));
      }
    }
    return start;
  }

  private void handle(ConsumerRecord<byte[], byte[]> r, Counts counts, AtomicReference<Exception> sendFailure) {
    counts.read++;
    Header header = r.headers().lastHeader(ResultHeaders.ERROR_CATEGORY);
    if (header == null || header.value() == null) {
      counts.notDeadLetters++;
      return;
    }
    String category = new String(header.value(), StandardCharsets.UTF_8);
    if (!args.categoryMatches(category)) {
      counts.skippedCategory++;
      return;
    }
    if (!args.timeMatches(r.timestamp())) {
      counts.skippedTime++;
      return;
    }
    counts.matched++;
    String from = r.topic() + "-" + r.partition() + "-" + r.offset();
    if (args.dryRun()) {
      out.println("would publish " + from + " (" + category + ", written " + Instant.ofEpochMilli(r.timestamp())
          + ", key " + shownKey(r.key()) + ", " + (r.value() == null ? 0 : r.value().length) + " bytes) to " + input);
    } else {
      RecordHeaders headers = new RecordHeaders();
      for (Header h : r.headers()) {
        if (!DROPPED_HEADERS.contains(h.key())) {
          headers.add(h.key(), h.value());
        }
      }
      headers.add(REPLAYED_FROM, from.getBytes(StandardCharsets.UTF_8));
      // No partition, no timestamp: the key picks the partition as it did upstream; the time is now.
      producer.send(new ProducerRecord<>(input, null, null, r.key(), r.value(), headers), (metadata, e) -> {
        if (e == null) {
          counts.published.incrementAndGet();
        } else {
          sendFailure.compareAndSet(null, e);
        }
      });
    }
    counts.queued++;
    if (args.limitValue().isPresent() && counts.queued >= args.limitValue().get()) {
      counts.limitReached = true;
    }
  }

  /** The key as text for the dry run's lines, addresses masked ({@code h***@example.com}), at most 80 characters. */
  static String shownKey(byte[] key) {
    if (key == null) {
      return "none";
    }
    String text = Redact.emailsIn(new String(key, StandardCharsets.UTF_8)).replaceAll("\\p{Cntrl}", "?");
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /** The replay could not finish; the message says why. */
  static final class ReplayFailure extends RuntimeException {
    ReplayFailure(String message) {
      super(message, null, false, false);
    }
  }
}
