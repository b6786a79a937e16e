package dev.pew.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's own meters, named {@code pew_*} in Prometheus (README lists them with their meaning).
 * Meters are created once and cached so recording is cheap on the hot path.
 *
 * <p>Thread-safe: recorded from the event loop and the intake thread.
 */
public final class WorkerMetrics {

  private final MeterRegistry registry;
  private final Counter consumed;
  private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> results = new ConcurrentHashMap<>();
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Timer callDuration;
  private final Counter rateLimitWaits;
  private final Timer commitDuration;
  private final Counter commitFailures;
  private final Counter publishFailures;
  private final Counter abandoned;
  private final DistributionSummary endToEnd;
  private final Counter handoverDrained;
  private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.consumed = Counter.builder("pew.events.consumed").description("Input records read from Kafka").register(registry);
    this.callDuration = Timer.builder("pew.call.duration")
        .description("Latency of send_password_email calls, answers and failures alike")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    this.rateLimitWaits = Counter.builder("pew.rate.limit.waits")
        .description("Times a call start waited for the rate limit").register(registry);
    this.commitDuration = Timer.builder("pew.commit.duration").description("Offset commit latency")
        .publishPercentileHistogram().register(registry);
    this.commitFailures = Counter.builder("pew.commit.failures").description("Failed offset commits (retried)").register(registry);
    this.publishFailures = Counter.builder("pew.result.publish.failures")
        .description("Failed result or dead-letter sends (retried until acknowledged)").register(registry);
    this.abandoned = Counter.builder("pew.events.released")
        .description("Unfinished events left to the next owner of their partition (rebalance or shutdown)")
        .register(registry);
    this.handoverDrained = Counter.builder("pew.handover.drained")
        .description("Records unfinished when their partition was handed over (revoke or shutdown) that were finished "
            + "and committed before it moved")
        .register(registry);
    this.endToEnd = DistributionSummary.builder("pew.event.duration")
        .description("From reading a record to its result being acknowledged, in milliseconds")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(600_000.0)
        .baseUnit("milliseconds").register(registry);
  }

  /** A registry that only keeps values in memory (tests, tools). */
  public static WorkerMetrics inMemory() {
    return new WorkerMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void consumed(int n) {
    consumed.increment(n);
  }

  /** A record that needed no result: {@code tombstone} or {@code already_done} (finished by a previous owner). */
  public void skipped(String reason) {
    skipped.computeIfAbsent(reason, r -> Counter.builder("pew.events.skipped").tag("reason", r)
        .description("Input records skipped without a call").register(registry)).increment();
  }

  /** A result acknowledged by Kafka; {@code category} is {@code none} for SENT. */
  public void result(String status, String category, long durationMs) {
    results.computeIfAbsent(status + "/" + category, k -> Counter.builder("pew.results")
        .tags(Tags.of("status", status, "category", category))
        .description("Result events published, by status and error category").register(registry)).increment();
    endToEnd.record(Math.max(0, durationMs));
    if ("SENT".equals(status)) {
      sent.incrementAndGet();
    } else {
      failed.incrementAndGet();
    }
  }

  /** One call came back: {@code status} is the HTTP status, {@code timeout} or {@code connection_error}. */
  public void call(String status, long latencyNanos) {
    calls.computeIfAbsent(status, s -> Counter.builder("pew.calls").tag("status", s)
        .description("send_password_email calls by answer").register(registry)).increment();
    callDuration.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** A retry was scheduled; {@code reason}: {@code throttled}, {@code retryable}, {@code hold}. */
  public void retry(String reason) {
    retries.computeIfAbsent(reason, r -> Counter.builder("pew.retries").tag("reason", r)
        .description("Calls to be made again, by reason").register(registry)).increment();
  }

  public void rateLimitWait() {
    rateLimitWaits.increment();
  }

  public void commit(long nanos, boolean ok) {
    commitDuration.record(nanos, TimeUnit.NANOSECONDS);
    if (!ok) {
      commitFailures.increment();
    }
  }

  public void publishFailure() {
    publishFailures.increment();
  }

  public void handoverDrained(int n) {
    handoverDrained.increment(n);
  }

  public double handoverDrainedTotal() {
    return handoverDrained.count();
  }

  public void released(int n) {
    abandoned.increment(n);
  }

  /** Registers the meters read from the running worker's state on each scrape. */
  public void bind(WorkerStatus status) {
    gauge("pew.calls.in.flight", "Calls outstanding now", status::inFlight);
    gauge("pew.events.unfinished", "Records read and not finished", status::unfinished);
    gauge("pew.holding", "1 while the worker holds (outage or refused credential)", () -> status.holdReason() != null ? 1 : 0);
    gauge("pew.throttled", "1 while a 429's Retry-After pauses all calls", () -> status.throttled() ? 1 : 0);
    gauge("pew.intake.paused", "1 while intake is paused", () -> status.intakePaused() ? 1 : 0);
    FunctionCounter.builder("pew.hold.seconds", status, s -> s.heldMillis() / 1000.0)
        .description("Time spent holding since start, in seconds").register(registry);
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }

  /** Records the consumer lag of a partition (records behind the end of the log). */
  public void lag(TopicPartition tp, long records) {
    lag.computeIfAbsent(tp, p -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder("pew.consumer.lag", holder, AtomicLong::get)
          .tags(Tags.of("topic", p.topic(), "partition", Integer.toString(p.partition())))
          .description("Records behind the end of the input partition").register(registry);
      return holder;
    }).set(records);
  }

  /** Forgets the lag of partitions this instance no longer owns. */
  public void lagGone(TopicPartition tp) {
    AtomicLong holder = lag.remove(tp);
    if (holder != null) {
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
