package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.OnAuthFailure;
import dev.pew.event.ErrorCategory;
import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.ops.WorkerMetrics;
import dev.pew.xc.OutcomeClassifier;
import dev.pew.xc.Verdict;
import dev.pew.xc.XcClient;
import dev.pew.xc.XcResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dispatcher against a scripted API: attempts, refunds, exhaustion, and released items. */
@ExtendWith(VertxExtension.class)
class DispatcherTest {

  /** Answers each email from its script, then 200. */
  private static final class ScriptedApi implements XcClient {
    final Map<String, Deque<Integer>> script = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    /** An outage: this many calls, whoever they are for, answer 503 first. */
    int outage;

    ScriptedApi answer(String email, Integer... statuses) {
      script.put(email, new ArrayDeque<>(List.of(statuses)));
      return this;
    }

    @Override
    public Future<XcResponse> send(OnboardingEvent event) {
      calls.add(event.email());
      Deque<Integer> s = script.get(event.email());
      Integer status = outage-- > 0 ? Integer.valueOf(503) : s == null || s.isEmpty() ? 200 : s.poll();
      return Future.succeededFuture(status < 0
          ? XcResponse.failure(XcResponse.Failure.TIMEOUT, "no answer", 1)
          : XcResponse.status(status, status == 429 ? "0" : null, 1));
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** Records outcomes and counts them down. */
  private static final class Recorder implements Outcomes {
    final Map<String, Verdict> finished = new HashMap<>();
    final List<String> released = new ArrayList<>();
    final VertxTestContext ctx;
    int expected;

    Recorder(VertxTestContext ctx, int expected) {
      this.ctx = ctx;
      this.expected = expected;
    }

    @Override
    public void finished(WorkItem item, Verdict verdict) {
      finished.put(item.event().email(), verdict);
      done();
    }

    @Override
    public void released(WorkItem item) {
      released.add(item.event().email());
      done();
    }

    private void done() {
      if (--expected == 0) {
        ctx.completeNow();
      }
    }
  }

  private static final class SwitchLease implements Lease {
    volatile boolean active = true;

    @Override
    public boolean active() {
      return active;
    }

    @Override
    public void itemDone() {}
  }

  private static WorkItem item(String email, Lease lease) {
    InboundRecord r = new InboundRecord("in", 0, email.hashCode() & 0xffff, null, new byte[0], new RecordHeaders(), 0);
    return new WorkItem(r, new ParsedEvent.Valid(new OnboardingEvent(email, email, null)), lease, Instant.now());
  }

  private static Dispatcher dispatcher(Vertx vertx, XcClient api, int maxAttempts, int holdAfter, Outcomes out) {
    Clock clock = Clock.systemUTC();
    HoldController hold = new HoldController(holdAfter, retry -> 1, clock, new HoldController.Listener() {
      @Override
      public void holdStarted(HoldController.Reason reason, String cause) {}

      @Override
      public void holdReasonChanged(HoldController.Reason reason, String cause) {}

      @Override
      public void holdEnded(HoldController.Reason reason, long heldMillis) {}
    });
    return new Dispatcher(vertx, api, new OutcomeClassifier(OnAuthFailure.HOLD, 60_000, clock),
        new DispatchOptions(4, maxAttempts, 1), retry -> 1, RateLimiter.unlimited(), hold, clock,
        WorkerMetrics.inMemory(), out);
  }

  @Test
  void exhaustsAnEventAfterMaxAttemptsRetryableFailures(Vertx vertx, VertxTestContext ctx) throws Exception {
    ScriptedApi api = new ScriptedApi().answer("down@x.io", 503, 503, 503, 503);
    Recorder out = new Recorder(ctx, 1);
    vertx.runOnContext(v -> dispatcher(vertx, api, 3, 0, out).submit(item("down@x.io", Lease.permanent())));
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    Verdict.Failed failed = (Verdict.Failed) out.finished.get("down@x.io");
    assertThat(failed.category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
    assertThat(failed.httpStatus()).isEqualTo(503);
    assertThat(api.calls).hasSize(3);
  }

  @Test
  void doesNotChargeAttemptsForThrottlingOrARefusedCredential(Vertx vertx, VertxTestContext ctx) throws Exception {
    // Two attempts allowed; 429s and a 401 (with hold) in between do not use them up.
    ScriptedApi api = new ScriptedApi().answer("a@x.io", 429, 429, 503, 401, 429, 200);
    Recorder out = new Recorder(ctx, 1);
    vertx.runOnContext(v -> dispatcher(vertx, api, 2, 5, out).submit(item("a@x.io", Lease.permanent())));
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.get("a@x.io")).isInstanceOf(Verdict.Sent.class);
    assertThat(api.calls).hasSize(6);
  }

  @Test
  void holdsInsteadOfExhaustingWhenSeveralEventsFailAndSendsThemAllWhenTheApiIsBack(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi().answer("c@x.io", -1); // and a timeout once the outage is over
    api.outage = 20; // far more failures than 3 events x 2 attempts
    Recorder out = new Recorder(ctx, 3);
    vertx.runOnContext(v -> {
      Dispatcher d = dispatcher(vertx, api, 2, 3, out);
      d.submit(item("a@x.io", Lease.permanent()));
      d.submit(item("b@x.io", Lease.permanent()));
      d.submit(item("c@x.io", Lease.permanent()));
    });
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.values()).allMatch(v -> v instanceof Verdict.Sent);
    assertThat(api.calls).hasSizeGreaterThan(20);
  }

  @Test
  void releasesQueuedItemsWhoseLeaseEndedWithoutCallingForThem(Vertx vertx, VertxTestContext ctx) throws Exception {
    ScriptedApi api = new ScriptedApi().answer("first@x.io", 503, 503, 503);
    SwitchLease lease = new SwitchLease();
    Recorder out = new Recorder(ctx, 2);
    vertx.runOnContext(v -> {
      Dispatcher d = dispatcher(vertx, api, 5, 0, out);
      d.submit(item("first@x.io", lease));
      lease.active = false; // revoked while first@ waits for its retry
      d.submit(item("second@x.io", lease));
      vertx.setTimer(50, id -> d.releaseInactive());
    });
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.released).containsExactlyInAnyOrder("first@x.io", "second@x.io");
    assertThat(api.calls).containsExactly("first@x.io");
  }
}
