package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health checks answer from what the background schedule last found: a Kafka result counts
 * while it is fresh and as down once it is older than the bound, a pending check never delays an
 * answer, and liveness notices a worker event loop that runs no task.
 */
class HealthMonitorTest {

  private final Vertx vertx = Vertx.vertx();
  /** The worker's event loop, on a Vert.x of its own so that blocking it blocks nothing else here. */
  private final Vertx workerVertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicReference<CompletableFuture<Integer>> pendingKafka = new AtomicReference<>();
  private final AtomicInteger kafkaChecks = new AtomicInteger();
  private final FakeStatus status = new FakeStatus();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    workerVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void kafkaIsDownUntilTheFirstCheckAnswersThenUpWhileFreshThenDownWhenStale() throws Exception {
    HealthMonitor m = start(workerVertx.getOrCreateContext());

    HealthReport.Check first = m.readiness().check("kafka");
    assertThat(first.up()).isFalse();
    assertThat(first.data().getString("error")).isEqualTo("not checked yet");
    assertThat(first.data().getLong("checkRunningMs")).isNotNull();

    now.addAndGet(ms(40));
    pendingKafka.get().complete(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> m.readiness().check("kafka").up());
    JsonObject up = m.readiness().check("kafka").data();
    assertThat(up.getInteger("brokers")).isEqualTo(3);
    assertThat(up.getLong("tookMs")).isEqualTo(40);
    assertThat(up.getLong("checkedAgoMs")).isZero();
    assertThat(m.readiness().up()).isTrue();

    now.addAndGet(ms(HealthMonitor.KAFKA_MAX_AGE_MS));
    assertThat(m.readiness().check("kafka").up()).as("exactly at the bound").isTrue();
    now.addAndGet(ms(1));
    HealthReport.Check stale = m.readiness().check("kafka");
    assertThat(stale.up()).as("older than the bound counts as down").isFalse();
    assertThat(stale.data().getBoolean("stale")).isTrue();
    assertThat(stale.data().getLong("checkedAgoMs")).isEqualTo(HealthMonitor.KAFKA_MAX_AGE_MS + 1);
    assertThat(m.readiness().up()).isFalse();
  }

  @Test
  void aFailedKafkaCheckIsDownNamingTheErrorAndTheNextOneFollowsOnItsSchedule() throws Exception {
    HealthMonitor m = start(workerVertx.getOrCreateContext());
    pendingKafka.get().completeExceptionally(new TimeoutException("Timed out waiting for a node assignment"));

    await().atMost(Duration.ofSeconds(5)).until(() -> m.readiness().check("kafka").data().containsKey("tookMs"));
    HealthReport.Check down = m.readiness().check("kafka");
    assertThat(down.up()).isFalse();
    assertThat(down.data().getString("error")).isEqualTo("TimeoutException");
    assertThat(m.readiness().toJson().getString("status")).isEqualTo("DOWN");

    // The next check starts KAFKA_INTERVAL_MS after this one ended, and reports while it runs.
    await().atMost(Duration.ofMillis(HealthMonitor.KAFKA_INTERVAL_MS + 3000)).until(() -> kafkaChecks.get() == 2);
    assertThat(m.readiness().check("kafka").data().getLong("checkRunningMs")).isNotNull();
    assertThat(m.readiness().check("kafka").data().getString("error")).as("the last result stays").isEqualTo("TimeoutException");
  }

  @Test
  void inProcessChecksAreReadOnEveryRequest() throws Exception {
    HealthMonitor m = start(workerVertx.getOrCreateContext());
    pendingKafka.get().complete(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> m.readiness().up());

    status.hold = "OUTAGE";
    HealthReport held = m.readiness();
    assertThat(held.up()).isFalse();
    assertThat(held.check("api").data().getString("holding")).isEqualTo("OUTAGE");
    status.hold = null;
    status.publishFailing = true;
    assertThat(m.readiness().check("results").up()).isFalse();
    status.publishFailing = false;
    status.inGroup = false;
    assertThat(m.readiness().check("intake").up()).isFalse();
    status.inGroup = true;
    assertThat(m.readiness().up()).isTrue();
    assertThat(m.readiness().toJson().getJsonArray("checks")).hasSize(5);

    status.intakeRunning = false;
    assertThat(m.liveness().check("intake-thread").up()).isFalse();
    assertThat(m.liveness().up()).isFalse();
  }

  @Test
  void livenessIsDownWhileTheWorkerEventLoopRunsNoTaskAndUpOnceItDoes() throws Exception {
    Context workerLoop = workerVertx.getOrCreateContext();
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    workerLoop.runOnContext(v -> {
      blocked.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    blocked.await(5, TimeUnit.SECONDS);
    HealthMonitor m = start(workerLoop);
    assertThat(m.liveness().up()).isTrue();

    now.addAndGet(ms(HealthMonitor.HEARTBEAT_MAX_AGE_MS + 1));
    HealthReport stalled = m.liveness();
    assertThat(stalled.check("event-loop").up()).isFalse();
    assertThat(stalled.check("event-loop").data().getLong("checkedAgoMs")).isEqualTo(HealthMonitor.HEARTBEAT_MAX_AGE_MS + 1);
    assertThat(stalled.check("intake-thread").up()).isTrue();

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> m.liveness().up());
    assertThat(m.liveness().check("event-loop").data().getLong("checkedAgoMs")).isZero();
  }

  private HealthMonitor start(Context workerLoop) throws Exception {
    HealthMonitor.KafkaProbe probe = timeoutMs -> {
      assertThat(timeoutMs).isEqualTo((int) HealthMonitor.KAFKA_TIMEOUT_MS);
      CompletableFuture<Integer> f = new CompletableFuture<>();
      pendingKafka.set(f);
      kafkaChecks.incrementAndGet();
      return f;
    };
    CompletableFuture<HealthMonitor> started = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      HealthMonitor m = new HealthMonitor(vertx, status, probe, workerLoop, now::get);
      m.start();
      started.complete(m);
    });
    return started.get(5, TimeUnit.SECONDS);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private static final class FakeStatus implements WorkerStatus {
    volatile boolean intakeRunning = true;
    volatile boolean inGroup = true;
    volatile boolean publishFailing;
    volatile String hold;

    @Override
    public boolean intakeRunning() {
      return intakeRunning;
    }

    @Override
    public boolean inGroup() {
      return inGroup;
    }

    @Override
    public int assignedPartitions() {
      return 2;
    }

    @Override
    public boolean publishFailing() {
      return publishFailing;
    }

    @Override
    public String holdReason() {
      return hold;
    }

    @Override
    public long heldMillis() {
      return 0;
    }

    @Override
    public boolean throttled() {
      return false;
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public int unfinished() {
      return 0;
    }

    @Override
    public boolean intakePaused() {
      return false;
    }

    @Override
    public int restoringPartitions() {
      return 0;
    }

    @Override
    public long ledgerEntries() {
      return 0;
    }

    @Override
    public int fleetMembers() {
      return 1;
    }

    @Override
    public double fleetShare() {
      return 1;
    }

    @Override
    public boolean fleetProber() {
      return false;
    }

    @Override
    public boolean fleetDegraded() {
      return false;
    }
  }
}
