package dev.pew.ops;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The health checks, kept current in the background so that {@code /health/live} and
 * {@code /health/ready} answer at once from what was last found, whatever Kafka and the API are
 * doing. Each check reports how long ago its result was taken ({@code checkedAgoMs}).
 *
 * <ul>
 *   <li><b>kafka</b> (readiness): a {@code describeCluster} through Kafka's own {@link Admin}, one at
 *       a time, {@link #KAFKA_INTERVAL_MS} after the previous one ended, failed after
 *       {@link #KAFKA_TIMEOUT_MS}. A result older than {@link #KAFKA_MAX_AGE_MS} counts as down
 *       whatever it said (the checks stopped running), and so does "not checked yet".
 *   <li><b>event-loop</b> (liveness): every {@link #HEARTBEAT_INTERVAL_MS} a no-op task is queued on
 *       the worker's event loop (the one that dispatches calls; the operator endpoints run
 *       elsewhere); down when none has run for {@link #HEARTBEAT_MAX_AGE_MS}: the loop is blocked.
 *   <li><b>intake-thread</b> (liveness), <b>intake</b>, <b>results</b>, <b>api</b> (readiness): read
 *       from {@link WorkerStatus} (volatile fields, no lock, no I/O) on every request.
 * </ul>
 *
 * <p>The schedule runs on the context that creates the monitor (the operator server's). The
 * reports ({@link #liveness()}, {@link #readiness()}) may be read from any thread.
 */
public final class HealthMonitor {

  /** A Kafka check starts this long after the previous one ended. */
  public static final long KAFKA_INTERVAL_MS = 2_000;
  /** A Kafka check still unanswered after this long counts as failed. */
  public static final long KAFKA_TIMEOUT_MS = 3_000;
  /** A Kafka result older than this counts as down: with the schedule above one comes every 5 s at worst. */
  public static final long KAFKA_MAX_AGE_MS = 10_000;
  /** How often the worker's event loop is asked to run a no-op task. */
  public static final long HEARTBEAT_INTERVAL_MS = 1_000;
  /** The worker's event loop counts as blocked when it has run no heartbeat for this long. */
  public static final long HEARTBEAT_MAX_AGE_MS = 10_000;

  private static final long NONE = Long.MIN_VALUE;

  /** Asks Kafka how many brokers it has; the stage may complete on any thread. */
  @FunctionalInterface
  public interface KafkaProbe {
    CompletionStage<Integer> brokers(int timeoutMs);

    /** Through Kafka's own admin client (its futures complete on the admin's thread). */
    static KafkaProbe of(Admin admin) {
      return timeoutMs -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
          .toCompletionStage().thenApply(Collection::size);
    }
  }

  /** The last Kafka check: brokers seen, or the error's name; when it ended and how long it took. */
  private record KafkaResult(int brokers, String error, long atNanos, long tookNanos) {}

  private final Vertx vertx;
  private final Context context;
  private final WorkerStatus status;
  private final KafkaProbe kafka;
  private final Context workerLoop;
  private final LongSupplier nanos;

  private volatile KafkaResult kafkaResult;
  private volatile long kafkaRunningSince = NONE;
  private volatile long beatAt;
  private volatile long beatWaitedNanos;
  private long heartbeatTimer = -1;
  private long kafkaTimer = -1;
  private boolean stopped;

  /**
   * Create on the context that is to run the schedule.
   *
   * @param workerLoop the worker's event loop, whose responsiveness liveness reports
   * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public HealthMonitor(Vertx vertx, WorkerStatus status, KafkaProbe kafka, Context workerLoop, LongSupplier nanos) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.status = status;
    this.kafka = kafka;
    this.workerLoop = workerLoop;
    this.nanos = nanos;
    this.beatAt = nanos.getAsLong();
  }

  /** Starts the schedule: the first Kafka check and heartbeat at once. Call on the monitor's context. */
  public void start() {
    checkKafka();
    heartbeat();
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_INTERVAL_MS, id -> heartbeat());
  }

  /** Stops the schedule; the reports keep what was last found. Call on the monitor's context. */
  public void stop() {
    stopped = true;
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(kafkaTimer);
  }

  /** {@code /health/live}: the worker's event loop runs tasks and the intake thread is alive. */
  public HealthReport liveness() {
    long now = nanos.getAsLong();
    long beatAgo = millis(now - beatAt);
    return new HealthReport(List.of(
        new HealthReport.Check("event-loop", beatAgo <= HEARTBEAT_MAX_AGE_MS,
            new JsonObject().put("checkedAgoMs", beatAgo).put("waitedMs", millis(beatWaitedNanos))),
        new HealthReport.Check("intake-thread", status.intakeRunning(), new JsonObject().put("checkedAgoMs", 0))));
  }

  /** {@code /health/ready}: Kafka answers (recently), the consumer is in its group, results go out, no hold. */
  public HealthReport readiness() {
    long now = nanos.getAsLong();
    JsonObject intake = new JsonObject()
        .put("inGroup", status.inGroup())
        .put("assignedPartitions", status.assignedPartitions())
        .put("unfinished", status.unfinished())
        .put("paused", status.intakePaused())
        .put("restoringPartitions", status.restoringPartitions())
        .put("checkedAgoMs", 0);
    boolean publishFailing = status.publishFailing();
    JsonObject results = new JsonObject().put("checkedAgoMs", 0);
    if (publishFailing) {
      results.put("publishing", "failing, retrying");
    }
    String hold = status.holdReason();
    JsonObject api = new JsonObject().put("inFlight", status.inFlight()).put("throttled", status.throttled());
    if (hold != null) {
      api.put("holding", hold).put("heldSeconds", status.heldMillis() / 1000);
    }
    api.put("checkedAgoMs", 0);
    return new HealthReport(List.of(
        kafkaCheck(now),
        new HealthReport.Check("intake", status.intakeRunning() && status.inGroup() && status.restoringPartitions() == 0,
            intake),
        new HealthReport.Check("fleet", true, new JsonObject().put("members", status.fleetMembers())
            .put("share", status.fleetShare()).put("probing", status.fleetProber()).put("degraded", status.fleetDegraded())
            .put("checkedAgoMs", 0)),
        new HealthReport.Check("results", !publishFailing, results),
        new HealthReport.Check("api", hold == null, api)));
  }

  private HealthReport.Check kafkaCheck(long now) {
    KafkaResult r = kafkaResult;
    JsonObject data = new JsonObject();
    boolean up;
    if (r == null) {
      up = false;
      data.put("error", "not checked yet");
    } else {
      long ago = millis(now - r.atNanos());
      if (r.error() == null) {
        data.put("brokers", r.brokers());
      } else {
        data.put("error", r.error());
      }
      data.put("checkedAgoMs", ago).put("tookMs", millis(r.tookNanos()));
      up = r.error() == null && ago <= KAFKA_MAX_AGE_MS;
      if (ago > KAFKA_MAX_AGE_MS) {
        data.put("stale", true).put("maxAgeMs", KAFKA_MAX_AGE_MS);
      }
    }
    long running = kafkaRunningSince;
    if (running != NONE) {
      data.put("checkRunningMs", millis(now - running));
    }
    return new HealthReport.Check("kafka", up, data);
  }

  private void checkKafka() {
    if (stopped) {
      return;
    }
    long started = nanos.getAsLong();
    kafkaRunningSince = started;
    Future<Integer> answer;
    try {
      answer = Future.fromCompletionStage(kafka.brokers((int) KAFKA_TIMEOUT_MS), context);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.timeout(KAFKA_TIMEOUT_MS + 500, TimeUnit.MILLISECONDS).onComplete(ar -> {
      long ended = nanos.getAsLong();
      kafkaResult = ar.succeeded() ? new KafkaResult(ar.result(), null, ended, ended - started)
          : new KafkaResult(0, cause(ar.cause()).getClass().getSimpleName(), ended, ended - started);
      kafkaRunningSince = NONE;
      if (!stopped) {
        kafkaTimer = vertx.setTimer(KAFKA_INTERVAL_MS, id -> checkKafka());
      }
    });
  }

  private void heartbeat() {
    long sent = nanos.getAsLong();
    workerLoop.runOnContext(v -> {
      long ran = nanos.getAsLong();
      beatWaitedNanos = ran - sent;
      beatAt = ran;
    });
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos));
  }

  private static Throwable cause(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
