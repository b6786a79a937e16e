package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import dev.pew.sim.SimulatorOptions;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 429's {@code Retry-After} pauses every call of the worker, not just the throttled event: with
 * several calls in flight and a backlog waiting, no call of any email starts until the time asked
 * for has passed; then calls resume and every event, the throttled one included, ends SENT.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RetryAfterIT {

  private static final int MAX_IN_FLIGHT = 8;
  private static final long MS = 1_000_000L;
  /**
   * Calls that arrive within this long after the 429 was answered were started before the worker
   * could have read it (its answer was still on the wire while other answers freed permits). A
   * worker that ignores Retry-After keeps starting calls far beyond it.
   */
  private static final long IN_TRANSIT_NANOS = 30 * MS;
  /** Timer slack: a pause may end this much early as seen from the simulator's clock. */
  private static final long SLACK_NANOS = 100 * MS;
  /**
   * Events run before the measured backlog, so the HTTP client holds MAX_IN_FLIGHT open connections.
   * From a cold pool, calls the worker started just before it read the 429 may still be opening
   * their connection and reach the API up to ~150 ms after the 429's answer; that delay belongs to
   * connection set-up, not to the pause under test.
   */
  private static final int WARM_UP = 40;
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  @Test
  void retryAfterSecondsPausesEveryCallOfTheWorker(Vertx vertx) {
    SimulatorOptions api = new SimulatorOptions().latency(Duration.ofMillis(20), Duration.ofMillis(20));
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, api)) {
      int n = 300;
      String throttled = "ra60@example.com";
      startWarm(h);
      h.sim.respond(throttled, 429, 1, "2");
      h.backlog("ra", n);
      h.awaitResults(n + WARM_UP, Duration.ofSeconds(40));

      Pause pause = Pause.measure(h.sim, throttled);
      System.out.printf("MEASURED RetryAfterIT seconds: Retry-After=2 inFlightWhen429=%d startsInTransit=%d "
              + "gapToNextStart=%d ms callsAfter=%d connections=%d%n",
          pause.inFlightAt429, pause.inTransit.size(), pause.gapNanos() / MS, pause.after.size(), h.sim.connections());
      assertThat(pause.inFlightAt429).as("other calls in flight when the 429 came").isGreaterThan(1);
      assertThat(pause.inTransit).as("calls started while the 429 was on its way").hasSizeLessThan(MAX_IN_FLIGHT);
      assertThat(pause.gapNanos()).as("from the 429's answer to the next call of any email")
          .isGreaterThanOrEqualTo(2000 * MS - SLACK_NANOS);
      assertThat(pause.after.size()).as("calls resume after the pause").isGreaterThan(100);
      assertAllSent(h, n + WARM_UP, throttled);
    }
  }

  @Test
  void retryAfterHttpDatePausesEveryCallUntilThatDate(Vertx vertx) {
    SimulatorOptions api = new SimulatorOptions().latency(Duration.ofMillis(20), Duration.ofMillis(20));
    try (WorkerHarness h = WorkerHarness.start(vertx, 1, api)) {
      // Also makes the 429 come a known short time after the date is chosen.
      startWarm(h);

      long nanoAnchor = System.nanoTime();
      long wallAnchor = System.currentTimeMillis();
      // Whole seconds (an HTTP-date has no finer unit), 3 to 4 s ahead.
      long dateMillis = (wallAnchor / 1000 + 4) * 1000;
      long dateNanos = nanoAnchor + (dateMillis - wallAnchor) * MS;
      String date = IMF_FIXDATE.format(Instant.ofEpochMilli(dateMillis));
      String throttled = "rd20@example.com";
      h.sim.respond(throttled, 429, 1, date);
      int n = 200;
      h.backlog("rd", n);
      h.awaitResults(n + WARM_UP, Duration.ofSeconds(40));

      Pause pause = Pause.measure(h.sim, throttled);
      long untilDate = dateNanos - pause.answeredAt;
      System.out.printf("MEASURED RetryAfterIT http-date: Retry-After=\"%s\" (%d ms after the 429's answer) "
              + "inFlightWhen429=%d startsInTransit=%d gapToNextStart=%d ms nextStartVsDate=%+d ms%n",
          date, untilDate / MS, pause.inFlightAt429, pause.inTransit.size(), pause.gapNanos() / MS,
          (pause.nextStart - dateNanos) / MS);
      assertThat(untilDate).as("the date is well ahead of the 429 (setup sanity)").isGreaterThan(1000 * MS);
      assertThat(pause.inFlightAt429).as("other calls in flight when the 429 came").isGreaterThan(1);
      assertThat(pause.inTransit).as("calls started while the 429 was on its way").hasSizeLessThan(MAX_IN_FLIGHT);
      assertThat(pause.nextStart).as("no call of any email starts before the date").isGreaterThanOrEqualTo(dateNanos - SLACK_NANOS);
      assertThat(pause.after.size()).as("calls resume after the pause").isGreaterThan(50);
      assertAllSent(h, n + WARM_UP, throttled);
    }
  }

  /** What the call log shows around the single 429. */
  private static final class Pause {
    long answeredAt;
    long nextStart;
    int inFlightAt429;
    List<XcSimulator.Call> inTransit;
    List<XcSimulator.Call> after;

    static Pause measure(XcSimulator sim, String throttled) {
      List<XcSimulator.Call> calls = new ArrayList<>(sim.calls());
      calls.sort(Comparator.comparingLong(XcSimulator.Call::startNanos));
      List<XcSimulator.Call> throttledCalls = calls.stream().filter(c -> c.email().equals(throttled)).toList();
      assertThat(throttledCalls).extracting(XcSimulator.Call::status).containsExactly(429, 200);
      Pause p = new Pause();
      XcSimulator.Call the429 = throttledCalls.get(0);
      p.answeredAt = the429.endNanos();
      p.inFlightAt429 = (int) calls.stream()
          .filter(c -> c.startNanos() <= the429.endNanos() && c.endNanos() >= the429.endNanos()).count();
      p.after = calls.stream().filter(c -> c.startNanos() > p.answeredAt).toList();
      p.inTransit = p.after.stream().filter(c -> c.startNanos() < p.answeredAt + IN_TRANSIT_NANOS).toList();
      p.nextStart = p.after.stream().mapToLong(XcSimulator.Call::startNanos)
          .filter(s -> s >= p.answeredAt + IN_TRANSIT_NANOS).min().orElseThrow();
      // The throttled event itself waited as well.
      assertThat(throttledCalls.get(1).startNanos()).isGreaterThanOrEqualTo(p.nextStart);
      return p;
    }

    long gapNanos() {
      return nextStart - answeredAt;
    }
  }

  private static void assertAllSent(WorkerHarness h, int n, String throttled) {
    assertThat(h.results(h.failed)).isEmpty();
    Map<String, ResultEvent> sent = h.results(h.sent).stream()
        .collect(Collectors.toMap(ResultEvent::eventId, Function.identity()));
    assertThat(sent).hasSize(n);
    ResultEvent t = sent.get(throttled.substring(0, throttled.indexOf('@')));
    assertThat(t.status()).isEqualTo(Status.SENT);
    assertThat(t.attempts()).as("the 429 and the accepted call").isEqualTo(2);
  }

  /** Deploys the worker and runs a first batch, so the worker is in its group and its pool is warm. */
  private static void startWarm(WorkerHarness h) {
    h.backlog("warm", WARM_UP);
    h.deploy(h.config().with(dev.pew.config.Settings.MAX_IN_FLIGHT, MAX_IN_FLIGHT).build());
    h.awaitResults(WARM_UP, Duration.ofSeconds(30));
    assertThat(h.sim.connections()).as("connections opened by the warm-up").isEqualTo(MAX_IN_FLIGHT);
  }

}
