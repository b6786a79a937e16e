package dev.pew;

import static dev.pew.config.Settings.*;

import dev.pew.config.IntakeMode;
import dev.pew.config.WorkerConfig;
import dev.pew.event.EventParser;
import dev.pew.intake.Completions;
import dev.pew.intake.Intake;
import dev.pew.intake.IntakeMetrics;
import dev.pew.intake.IntakeOptions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.PartitionListener;
import dev.pew.intake.group.GroupIntake;
import dev.pew.intake.share.KafkaShareGroupAdmin;
import dev.pew.intake.share.ShareIntake;
import dev.pew.intake.share.ShareIntakeOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Makes the intake {@code INTAKE} asks for, a consumer group member or share group members, with
 * the timings each derives from the Kafka client properties: how long a revoked partition waits
 * for its calls, how often a share lane renews its locks, and how many records one poll may bring.
 *
 * <p>Guarantee: makes exactly one intake, of the configured mode, reading {@code TOPIC_INPUT}; it
 * hands its records to the given sink, reports finished records through the given {@link
 * Completions} and tells the given {@link PartitionListener} (the ledger) about ownership, whichever
 * the mode. Starts nothing (the verticle starts the intake). Used once, on the verticle's event
 * loop while the worker starts; the intake it makes runs on threads of its own.
 */
final class IntakeFactory {

  /**
   * How long an idle group intake's poll waits: the broker's default long poll
   * ({@code fetch.max.wait.ms}), so an idle worker wakes twice a second instead of twenty times; a
   * record ends the poll at once, and a stop is noticed within it.
   */
  private static final Duration IDLE_POLL = Duration.ofMillis(500);

  private final WorkerConfig config;
  private final String instanceId;
  private final Admin admin;
  private final IntakeSink sink;
  private final Completions completions;
  private final PartitionListener listener;
  private final IntakeMetrics metrics;
  private final Clock clock;

  IntakeFactory(WorkerConfig config, String instanceId, Admin admin, IntakeSink sink, Completions completions,
      PartitionListener listener, IntakeMetrics metrics, Clock clock) {
    this.config = config;
    this.instanceId = instanceId;
    this.admin = admin;
    this.sink = sink;
    this.completions = completions;
    this.listener = listener;
    this.metrics = metrics;
    this.clock = clock;
  }

  Intake create() {
    return config.get(INTAKE) == IntakeMode.SHARE ? shareIntake() : groupIntake();
  }

  /** {@code INTAKE=group}: a consumer group member; partitions are owned, offsets committed. */
  private Intake groupIntake() {
    Map<String, String> consumerProps = config.kafka().consumer(instanceId, Math.max(1, Math.min(500, config.get(MAX_BUFFERED))));
    return new GroupIntake(new IntakeOptions(config.get(TOPIC_INPUT), config.get(MAX_BUFFERED),
        revokeTimeout(consumerProps), Duration.ofMillis(50), IDLE_POLL), consumerProps, sink, completions, listener, new EventParser(), metrics, clock);
  }

  /** {@code INTAKE=share}: share group members (one per lane); each record acknowledged on its own. */
  private Intake shareIntake() {
    int lanes = ShareIntakeOptions.lanesFor(config.get(MAX_BUFFERED));
    int perLane = ShareIntakeOptions.recordsPerLane(config.get(MAX_BUFFERED), lanes);
    Map<String, String> probe = config.kafka().shareConsumer(instanceId, perLane);
    long maxPollInterval = Long.parseLong(probe.getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000"));
    return new ShareIntake(new IntakeOptions(config.get(TOPIC_INPUT), config.get(MAX_BUFFERED), Duration.ZERO, Duration.ofMillis(500)),
        new ShareIntakeOptions(config.get(KAFKA_GROUP_ID), lanes, instanceId, Duration.ofMillis(Math.min(60_000, maxPollInterval / 3))),
        clientId -> new KafkaShareConsumer<>(new HashMap<String, Object>(config.kafka().shareConsumer(clientId, perLane)),
            new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        new KafkaShareGroupAdmin(admin), sink, completions, listener, new EventParser(), metrics, clock);
  }

  /**
   * How long a revoked partition waits for its calls in flight: a call's deadline plus time to
   * publish its result, but well inside max.poll.interval.ms, or the group would evict this member
   * while it waits (and then nothing could be committed at all).
   */
  private Duration revokeTimeout(Map<String, String> consumerProps) {
    long maxPollInterval = Long.parseLong(consumerProps.getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000"));
    return Duration.ofMillis(Math.min(config.get(REQUEST_TIMEOUT_MS) + 5000, maxPollInterval / 2));
  }
}
