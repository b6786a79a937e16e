package dev.pew.ops;

import dev.pew.dispatch.DispatchMetrics;
import dev.pew.fleet.FleetMetrics;
import dev.pew.intake.IntakeMetrics;
import dev.pew.ledger.LedgerMetrics;
import dev.pew.pipeline.PipelineMetrics;
import dev.pew.results.ResultMetrics;
import dev.pew.xc.CallMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's own meters, named {@code pew_*} in Prometheus in base units (seconds), as README's
 * metrics table lists them. Each pipeline stage reports through its own small interface; meters are
 * created once and cached so recording is cheap on the hot path. The gauges read from the worker's
 * state on each scrape are {@link StateGauges}'.
 *
 * <p>Thread-safe: recorded from the event loop and the intake thread.
 */
public final class WorkerMetrics implements IntakeMetrics, DispatchMetrics, CallMetrics, ResultMetrics, LedgerMetrics,
    FleetMetrics, PipelineMetrics {

  private final MeterRegistry registry;
  private final Counter consumed;
  private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> shareCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> results = new ConcurrentHashMap<>();
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Timer callDuration;
  private final Counter rateLimitWaits;
  private final Counter retryBackoff;
  private final Timer commitDuration;
  private final Counter commitFailures;
  private final Counter publishFailures;
  private final Counter released;
  private final Counter deadLettersDropped;
  private final Timer eventDuration;
  private final Counter duplicates;
  private final Counter recovered;
  private final Timer ledgerRestore;
  private final Timer ledgerRecord;
  private final Map<String, Counter> ledgerSkipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> controlIgnored = new ConcurrentHashMap<>();
  private final Counter handoverDrained;
  private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  /** The one result counter of nearly every event, looked up once. */
  private Counter sentCounter;
  private final AtomicLong failed = new AtomicLong();

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    // The reasons the fleet knows, at zero from the start, so a rate() over them has a series to begin with.
    for (String reason : List.of("other_group", "stale", "malformed")) {
      ignoredCounter(reason);
    }
    this.consumed = Counter.builder("pew.events.consumed").description("Input records read from Kafka").register(registry);
    this.callDuration = Timer.builder("pew.call.duration")
        .description("Latency of send_password_email calls, answers and failures alike")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    this.rateLimitWaits = Counter.builder("pew.rate.limit.waits")
        .description("Times a call start waited for the rate limit").register(registry);
    this.retryBackoff = Counter.builder("pew.retry.backoff.seconds").baseUnit("seconds")
        .description("Time items waited for their retries (backoff), summed over items; they hold no permit meanwhile")
        .register(registry);
    this.commitDuration = Timer.builder("pew.commit.duration").description("Offset commit latency")
        .publishPercentileHistogram().register(registry);
    this.commitFailures = Counter.builder("pew.commit.failures").description("Failed offset commits (retried)").register(registry);
    this.publishFailures = Counter.builder("pew.result.publish.failures")
        .description("Failed result or dead-letter sends (retried until acknowledged)").register(registry);
    this.released = Counter.builder("pew.events.released")
        .description("Unfinished events left to the next owner of their partition (rebalance or shutdown)")
        .register(registry);
    this.deadLettersDropped = Counter.builder("pew.dead.letters.dropped")
        .description("Dead-letter copies left out because Kafka refused them as too large").register(registry);
    this.handoverDrained = Counter.builder("pew.handover.drained")
        .description("Records unfinished when their partition was handed over (revoke or shutdown) that were finished "
            + "and committed before it moved")
        .register(registry);
    this.duplicates = Counter.builder("pew.duplicates.answered")
        .description("Redelivered event ids sent within DEDUP_WINDOW_MS, answered without a call").register(registry);
    this.recovered = Counter.builder("pew.sends.recovered")
        .description("Records an earlier delivery of themselves had sent and recorded: answered as duplicates of "
            + "themselves, no call").register(registry);
    this.ledgerRestore = Timer.builder("pew.ledger.restore.duration")
        .description("Time to restore the ledger's sends of newly owned partitions").register(registry);
    this.ledgerRecord = Timer.builder("pew.ledger.record.duration")
        .description("From handing a send's ledger entry to Kafka to its acknowledgement (the call's permit waits for it)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    this.sentCounter = resultCounter("SENT", "none");
    results.put("SENT/none", sentCounter);
    this.eventDuration = Timer.builder("pew.event.duration")
        .description("From reading a record to its result being acknowledged")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void consumed(int n) {
    consumed.increment(n);
  }

  @Override
  public void redelivered(int records) {
    shareCounter("pew.share.redeliveries", "Share group: records acquired on a second or later delivery").increment(records);
  }

  @Override
  public void locksRenewed(int records) {
    shareCounter("pew.share.lock.renewals", "Share group: acquisition locks renewed by the broker").increment(records);
  }

  @Override
  public void locksLost(int records) {
    shareCounter("pew.share.locks.lost", "Share group: acquisition locks lost (not renewed in time, or refused)")
        .increment(records);
  }

  /** Registered on first use, so that group mode exports none of them. */
  private Counter shareCounter(String name, String description) {
    return shareCounters.computeIfAbsent(name, n -> Counter.builder(n).description(description).register(registry));
  }

  @Override
  public void skipped(String reason) {
    skipped.computeIfAbsent(reason, r -> Counter.builder("pew.events.skipped").tag("reason", r)
        .description("Input records skipped without a call").register(registry)).increment();
  }

  @Override
  public void result(String status, String category, long durationMs) {
    Counter c = "SENT".equals(status) && "none".equals(category) ? sentCounter : null;
    if (c == null) {
      c = results.computeIfAbsent(status + "/" + category, k -> resultCounter(status, category));
    }
    c.increment();
    eventDuration.record(Math.max(0, durationMs), TimeUnit.MILLISECONDS);
    ("SENT".equals(status) ? sent : failed).incrementAndGet();
  }

  private Counter resultCounter(String status, String category) {
    return Counter.builder("pew.results").tags(Tags.of("status", status, "category", category))
        .description("Result events published, by status and error category").register(registry);
  }

  @Override
  public void call(String status, long latencyNanos) {
    calls.computeIfAbsent(status, s -> Counter.builder("pew.calls").tag("status", s)
        .description("send_password_email calls by answer").register(registry)).increment();
    callDuration.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retry(String reason) {
    retries.computeIfAbsent(reason, r -> Counter.builder("pew.retries").tag("reason", r)
        .description("Calls to be made again, by reason").register(registry)).increment();
  }

  @Override
  public void rateLimitWait() {
    rateLimitWaits.increment();
  }

  @Override
  public void retryWaited(long millis) {
    retryBackoff.increment(millis / 1000.0);
  }

  @Override
  public void commit(long nanos, boolean ok) {
    commitDuration.record(nanos, TimeUnit.NANOSECONDS);
    if (!ok) {
      commitFailures.increment();
    }
  }

  @Override
  public void publishFailure() {
    publishFailures.increment();
  }

  @Override
  public void deadLetterDropped() {
    deadLettersDropped.increment();
  }

  @Override
  public void handoverDrained(int n) {
    handoverDrained.increment(n);
  }

  @Override
  public void released() {
    released.increment();
  }

  @Override
  public void duplicateAnswered() {
    duplicates.increment();
  }

  @Override
  public void sendRecovered() {
    recovered.increment();
  }

  @Override
  public void ledgerRestored(long nanos, long entries) {
    ledgerRestore.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void controlIgnored(String reason) {
    ignoredCounter(reason).increment();
  }

  private Counter ignoredCounter(String reason) {
    return controlIgnored.computeIfAbsent(reason, r -> Counter.builder("pew.fleet.signals.ignored").tag("reason", r)
        .description("Control-topic records ignored: another group's, stale or malformed").register(registry));
  }

  @Override
  public void ledgerRecorded(long nanos) {
    ledgerRecord.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void ledgerRecordSkipped(String reason) {
    ledgerSkipped.computeIfAbsent(reason, r -> Counter.builder("pew.ledger.records.skipped").tag("reason", r)
        .description("Records in the ledger topic that are no ledger entry (foreign, malformed)").register(registry))
        .increment();
  }

  @Override
  public void lag(TopicPartition tp, long records) {
    lag.computeIfAbsent(tp, p -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder("pew.consumer.lag", holder, AtomicLong::get)
          .tags(Tags.of("topic", p.topic(), "partition", Integer.toString(p.partition())))
          .description("Records behind the end of the input partition").register(registry);
      return holder;
    }).set(records);
  }

  @Override
  public void lagGone(TopicPartition tp) {
    if (lag.remove(tp) != null) {
      registry.find("pew.consumer.lag").tags("topic", tp.topic(), "partition", Integer.toString(tp.partition()))
          .meters().forEach(registry::remove);
    }
  }

  public long totalLag() {
    return lag.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long sentTotal() {
    return sent.get();
  }

  public long failedTotal() {
    return failed.get();
  }
}
