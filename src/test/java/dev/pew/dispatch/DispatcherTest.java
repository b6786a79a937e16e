package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.OnAuthFailure;
import dev.pew.event.ErrorCategory;
import dev.pew.event.InboundRecord;
import dev.pew.event.OnboardingEvent;
import dev.pew.event.ParsedEvent;
import dev.pew.intake.Lease;
import dev.pew.intake.WorkItem;
import dev.pew.testing.TestLease;
import dev.pew.xc.OutcomeClassifier;
import dev.pew.xc.XcResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatcher against a scripted API: attempts, refunds, exhaustion, released items, and an API
 * that breaks its contract (failed futures, synchronous throws, no answer at all).
 */
@ExtendWith(VertxExtension.class)
class DispatcherTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final OutcomeClassifier TABLE = new OutcomeClassifier(OnAuthFailure.HOLD, 60_000, CLOCK);

  /** Answers each email from its script (an HTTP status; -1 a timeout), then 200; or as {@code behaviour} says. */
  private static final class ScriptedApi implements Api {
    final Map<String, Deque<Integer>> script = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    /** An outage: this many calls, whoever they are for, answer 503 first. */
    int outage;
    /** When set, decides the call instead of the script (return null to fall back to it). */
    Function<OnboardingEvent, Future<Verdict>> behaviour;

    ScriptedApi answer(String email, Integer... statuses) {
      script.put(email, new ArrayDeque<>(List.of(statuses)));
      return this;
    }

    @Override
    public Future<Verdict> call(OnboardingEvent event) {
      calls.add(event.email());
      if (behaviour != null) {
        Future<Verdict> f = behaviour.apply(event);
        if (f != null) {
          return f;
        }
      }
      Deque<Integer> s = script.get(event.email());
      Integer status = outage-- > 0 ? Integer.valueOf(503) : s == null || s.isEmpty() ? 200 : s.poll();
      return Future.succeededFuture(TABLE.classify(status < 0
          ? XcResponse.failure(XcResponse.Failure.TIMEOUT, "no answer", 1)
          : XcResponse.status(status, status == 429 ? "0" : null, 1)));
    }
  }

  /** Records outcomes and counts them down. */
  private static final class Recorder {
    final Map<String, Outcome> finished = new HashMap<>();
    final List<String> released = new ArrayList<>();
    final VertxTestContext ctx;
    int expected;

    Recorder(VertxTestContext ctx, int expected) {
      this.ctx = ctx;
      this.expected = expected;
    }

    void track(WorkItem item, Future<Outcome> outcome) {
      outcome.onComplete(ar -> {
        if (ar.succeeded()) {
          finished.put(item.event().email(), ar.result());
        } else if (ar.cause() instanceof Released) {
          released.add(item.event().email());
        } else {
          ctx.failNow(ar.cause());
        }
        if (--expected == 0) {
          ctx.completeNow();
        }
      });
    }
  }

  private static final HoldController.Listener QUIET = new HoldController.Listener() {
    @Override
    public void holdStarted(HoldController.Reason reason, String cause) {}

    @Override
    public void holdReasonChanged(HoldController.Reason reason, String cause) {}

    @Override
    public void holdEnded(HoldController.Reason reason, long heldMillis) {}
  };

  private static final DispatchMetrics NO_METRICS = new DispatchMetrics() {
    @Override
    public void retry(String reason) {}

    @Override
    public void rateLimitWait() {}
  };

  private static WorkItem item(String email, Lease lease) {
    InboundRecord r = new InboundRecord("in", 0, email.hashCode() & 0xffff, null, new byte[0], new RecordHeaders(), 0);
    return new WorkItem(r, new ParsedEvent.Valid(new OnboardingEvent(email, email, null)), lease, Instant.now());
  }

  private static Dispatcher dispatcher(Vertx vertx, Api api, int maxAttempts, int holdAfter) {
    return dispatcher(vertx, api, maxAttempts, holdAfter, 4, retry -> 1, 60_000);
  }

  private static Dispatcher dispatcher(Vertx vertx, Api api, int maxAttempts, int holdAfter, int maxInFlight,
      Backoff backoff, long deadlineMs) {
    HoldController hold = new HoldController(holdAfter, retry -> 1, CLOCK, QUIET);
    return new Dispatcher(vertx, api, new DispatchOptions(maxInFlight, maxAttempts, 1, deadlineMs), backoff,
        RateLimiter.unlimited(), hold, new Throttle(CLOCK), Sends.none(), CLOCK, NO_METRICS);
  }

  private static Dispatcher dispatcher(Vertx vertx, Api api, RateLimiter limiter) {
    HoldController hold = new HoldController(0, retry -> 1, CLOCK, QUIET);
    return new Dispatcher(vertx, api, new DispatchOptions(4, 3, 1, 60_000), retry -> 1, limiter, hold,
        new Throttle(CLOCK), Sends.none(), CLOCK, NO_METRICS);
  }

  /** An API whose connection is not up until told, and whose calls answer only when told. */
  private static final class ColdApi implements Api {
    final Promise<Void> up = Promise.promise();
    final List<Promise<Verdict>> pending = new ArrayList<>();

    @Override
    public Future<Verdict> call(OnboardingEvent event) {
      Promise<Verdict> answer = Promise.promise();
      pending.add(answer);
      return answer.future();
    }

    @Override
    public Future<Void> connected() {
      return up.future();
    }
  }

  private static void submitThree(Dispatcher d) {
    for (String email : List.of("a@x.io", "b@x.io", "c@x.io")) {
      d.submit(item(email, TestLease.permanent()));
    }
  }

  /**
   * Without it, calls granted at the limit's pace while the first waited for its cold connection
   * reached the API together with it: up to 36-37 starts in a second of a fleet limited to 30 + 3.
   */
  @Test
  void underARateLimitAFreshProcesssFirstCallGoesAloneUntilItsConnectionIsUp(Vertx vertx, VertxTestContext ctx) {
    ColdApi api = new ColdApi();
    vertx.runOnContext(v -> {
      submitThree(dispatcher(vertx, api, new TokenBucketRateLimiter(1000, 10, CLOCK)));
      ctx.verify(() -> assertThat(api.pending).as("calls before the connection is up").hasSize(1));
      api.up.complete();
      ctx.verify(() -> assertThat(api.pending).as("calls once it is up").hasSize(3));
      ctx.completeNow();
    });
  }

  @Test
  void aFirstAnswerEndsTheLoneFirstCallToo(Vertx vertx, VertxTestContext ctx) {
    ColdApi api = new ColdApi();
    vertx.runOnContext(v -> {
      submitThree(dispatcher(vertx, api, new TokenBucketRateLimiter(1000, 10, CLOCK)));
      api.pending.get(0).complete(new Verdict.Retry("connection refused", null, false, -1));
      ctx.verify(() -> assertThat(api.pending).as("calls after the first answer").hasSize(3));
      ctx.completeNow();
    });
  }

  @Test
  void withoutARateLimitNoCallWaitsForTheConnection(Vertx vertx, VertxTestContext ctx) {
    ColdApi api = new ColdApi();
    vertx.runOnContext(v -> {
      submitThree(dispatcher(vertx, api, RateLimiter.unlimited()));
      ctx.verify(() -> assertThat(api.pending).hasSize(3));
      ctx.completeNow();
    });
  }

  private static void submit(Dispatcher d, Recorder out, String email, Lease lease) {
    WorkItem item = item(email, lease);
    out.track(item, d.submit(item));
  }

  @Test
  void exhaustsAnEventAfterMaxAttemptsRetryableFailures(Vertx vertx, VertxTestContext ctx) throws Exception {
    ScriptedApi api = new ScriptedApi().answer("down@x.io", 503, 503, 503, 503);
    Recorder out = new Recorder(ctx, 1);
    vertx.runOnContext(v -> submit(dispatcher(vertx, api, 3, 0), out, "down@x.io", TestLease.permanent()));
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    Verdict.Failed failed = (Verdict.Failed) out.finished.get("down@x.io").verdict();
    assertThat(failed.category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
    assertThat(failed.httpStatus()).isEqualTo(503);
    assertThat(out.finished.get("down@x.io").attempts()).isEqualTo(3);
    assertThat(api.calls).hasSize(3);
  }

  @Test
  void doesNotChargeAttemptsForThrottlingOrARefusedCredential(Vertx vertx, VertxTestContext ctx) throws Exception {
    // Two attempts allowed; 429s and a 401 (with hold) in between do not use them up.
    ScriptedApi api = new ScriptedApi().answer("a@x.io", 429, 429, 503, 401, 429, 200);
    Recorder out = new Recorder(ctx, 1);
    vertx.runOnContext(v -> submit(dispatcher(vertx, api, 2, 5), out, "a@x.io", TestLease.permanent()));
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.get("a@x.io").sent()).isTrue();
    assertThat(out.finished.get("a@x.io").attempts()).isEqualTo(6);
    assertThat(api.calls).hasSize(6);
  }

  @Test
  void holdsInsteadOfExhaustingWhenSeveralEventsFailAndSendsThemAllWhenTheApiIsBack(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi().answer("c@x.io", -1); // and a timeout once the outage is over
    api.outage = 20; // far more failures than 3 events x 2 attempts
    Recorder out = new Recorder(ctx, 3);
    vertx.runOnContext(v -> {
      Dispatcher d = dispatcher(vertx, api, 2, 3);
      submit(d, out, "a@x.io", TestLease.permanent());
      submit(d, out, "b@x.io", TestLease.permanent());
      submit(d, out, "c@x.io", TestLease.permanent());
    });
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.values()).allMatch(Outcome::sent);
    assertThat(api.calls).hasSizeGreaterThan(20);
  }

  @Test
  void releasesQueuedItemsWhoseLeaseEndedWithoutCallingForThem(Vertx vertx, VertxTestContext ctx) throws Exception {
    ScriptedApi api = new ScriptedApi().answer("first@x.io", 503, 503, 503);
    TestLease lease = new TestLease();
    Recorder out = new Recorder(ctx, 2);
    vertx.runOnContext(v -> {
      Dispatcher d = dispatcher(vertx, api, 5, 0);
      submit(d, out, "first@x.io", lease);
      lease.end(); // revoked while first@ waits for its retry
      submit(d, out, "second@x.io", lease);
      vertx.setTimer(50, id -> d.releaseInactive());
    });
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.released).containsExactlyInAnyOrder("first@x.io", "second@x.io");
    assertThat(api.calls).containsExactly("first@x.io");
  }

  @Test
  void aFailedFutureFromTheApiIsARetriedTransportFailureAndGivesThePermitBack(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi();
    int[] failures = {2};
    api.behaviour = e -> e.email().equals("a@x.io") && failures[0]-- > 0
        ? Future.failedFuture(new IllegalStateException("pool closed")) : null;
    Recorder out = new Recorder(ctx, 2);
    Dispatcher[] d = new Dispatcher[1];
    vertx.runOnContext(v -> {
      d[0] = dispatcher(vertx, api, 5, 0, 1, retry -> 1, 60_000);
      submit(d[0], out, "a@x.io", TestLease.permanent());
      submit(d[0], out, "b@x.io", TestLease.permanent());
    });
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.values()).allMatch(Outcome::sent);
    assertThat(out.finished.get("a@x.io").attempts()).isEqualTo(3);
    assertThat(d[0].inFlight()).isZero();
  }

  @Test
  void aSynchronousThrowFromTheApiIsARetriedTransportFailureAndGivesThePermitBack(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi();
    int[] throwsLeft = {1};
    api.behaviour = e -> {
      if (throwsLeft[0]-- > 0) {
        throw new IllegalArgumentException("bug in the client");
      }
      return null;
    };
    Recorder out = new Recorder(ctx, 2);
    Dispatcher[] d = new Dispatcher[1];
    vertx.runOnContext(v -> {
      d[0] = dispatcher(vertx, api, 5, 0, 1, retry -> 1, 60_000);
      submit(d[0], out, "a@x.io", TestLease.permanent());
      submit(d[0], out, "b@x.io", TestLease.permanent());
    });
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    assertThat(out.finished.values()).hasSize(2).allMatch(Outcome::sent);
    assertThat(d[0].inFlight()).isZero();
  }

  @Test
  void aCallThatNeverAnswersTimesOutAtTheDeadlineAndGivesThePermitBack(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi();
    api.behaviour = e -> e.email().equals("hang@x.io") ? Promise.<Verdict>promise().future() : null;
    Recorder out = new Recorder(ctx, 2);
    Dispatcher[] d = new Dispatcher[1];
    vertx.runOnContext(v -> {
      d[0] = dispatcher(vertx, api, 2, 0, 1, retry -> 1, 300);
      submit(d[0], out, "hang@x.io", TestLease.permanent());
      submit(d[0], out, "next@x.io", TestLease.permanent());
    });
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    Verdict.Failed hung = (Verdict.Failed) out.finished.get("hang@x.io").verdict();
    assertThat(hung.category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
    assertThat(hung.message()).contains("no answer within 300 ms");
    assertThat(out.finished.get("next@x.io").sent()).isTrue();
    assertThat(d[0].inFlight()).isZero();
  }

  @Test
  void aThrowWhileDecidingTheVerdictFinishesTheItemAsRetriesExhausted(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ScriptedApi api = new ScriptedApi().answer("a@x.io", 503);
    Backoff broken = retry -> {
      throw new ArithmeticException("bug in the backoff");
    };
    Recorder out = new Recorder(ctx, 2);
    Dispatcher[] d = new Dispatcher[1];
    vertx.runOnContext(v -> {
      d[0] = dispatcher(vertx, api, 5, 0, 1, broken, 60_000);
      submit(d[0], out, "a@x.io", TestLease.permanent());
      submit(d[0], out, "b@x.io", TestLease.permanent());
    });
    assertThat(ctx.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    Verdict.Failed failed = (Verdict.Failed) out.finished.get("a@x.io").verdict();
    assertThat(failed.category()).isEqualTo(ErrorCategory.RETRIES_EXHAUSTED);
    assertThat(failed.message()).isEqualTo("internal error: ArithmeticException");
    assertThat(out.finished.get("b@x.io").sent()).isTrue();
    assertThat(api.calls).containsExactly("a@x.io", "b@x.io");
    assertThat(d[0].inFlight()).isZero();
  }
}
