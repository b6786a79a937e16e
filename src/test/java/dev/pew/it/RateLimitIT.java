package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
import dev.pew.event.ResultEvent;
import dev.pew.sim.XcSimulator;
import dev.pew.testing.WorkerHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RATE_LIMIT_PER_SECOND caps call starts as the API sees them: in every one-second window of the
 * simulator's call log, at most rate + burst calls start. Without a limit the same backlog goes
 * through far faster, which shows the measurement can see a violation.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RateLimitIT {

  private static final long SECOND_NANOS = 1_000_000_000L;
  private static final int RATE = 20;
  /** RATE_LIMIT_BURST left on auto: max(1, rate / 10). */
  private static final int AUTO_BURST = Math.max(1, RATE / 10);
  /** About ten seconds of calls at the limit. */
  private static final int BACKLOG = 200;

  @Test
  void neverStartsMoreThanRatePlusBurstCallsInAnyOneSecondWindow(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      h.backlog("rl", BACKLOG);
      WorkerVerticle worker = h.deploy(h.config().with(MAX_IN_FLIGHT, 32).with(RATE_LIMIT_PER_SECOND, RATE).with(RATE_LIMIT_BURST, "auto").build());
      h.awaitResults(BACKLOG, Duration.ofSeconds(40));

      assertThat(h.results(h.sent)).extracting(ResultEvent::eventId).doesNotHaveDuplicates().hasSize(BACKLOG);
      long[] starts = startTimes(h.sim);
      assertThat(starts).hasSize(BACKLOG);
      int maxAnchored = maxStartsInAnyWindow(starts, SECOND_NANOS);
      int maxStepped = maxStartsInSteppedWindows(starts, SECOND_NANOS, 10_000_000L);
      System.out.printf("MEASURED RateLimitIT limited: rate=%d burst=%d calls=%d span=%d ms "
              + "maxStartsPer1sWindow(anchored at each start)=%d maxStartsPer1sWindow(10 ms steps)=%d peakConcurrent=%d%n",
          RATE, AUTO_BURST, starts.length, (starts[starts.length - 1] - starts[0]) / 1_000_000, maxAnchored, maxStepped,
          h.sim.peakConcurrent());

      assertThat(maxStepped).as("starts in a 1 s window stepped by 10 ms").isLessThanOrEqualTo(RATE + AUTO_BURST);
      // Exhaustive: the busiest window starts at some call's start.
      assertThat(maxAnchored).as("starts in any 1 s window").isLessThanOrEqualTo(RATE + AUTO_BURST);
      // The limiter does not starve the API either: the allowed rate is actually used.
      assertThat(maxAnchored).as("the limit is used, not undershot badly").isGreaterThanOrEqualTo(RATE * 3 / 4);
      assertThat(h.sim.peakConcurrent()).isLessThanOrEqualTo(32);
    }
  }

  @Test
  void withoutALimitTheSameBacklogStartsFarMoreThanThatPerSecond(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 2)) {
      h.backlog("free", BACKLOG);
      h.deploy(h.config().with(MAX_IN_FLIGHT, 32).with(RATE_LIMIT_PER_SECOND, 0).build());
      h.awaitResults(BACKLOG, Duration.ofSeconds(40));

      long[] starts = startTimes(h.sim);
      assertThat(starts).hasSize(BACKLOG);
      int max = maxStartsInAnyWindow(starts, SECOND_NANOS);
      System.out.printf("MEASURED RateLimitIT unlimited: calls=%d span=%d ms maxStartsPer1sWindow=%d%n",
          starts.length, (starts[starts.length - 1] - starts[0]) / 1_000_000, max);
      assertThat(max).as("starts in the busiest 1 s window without a limit").isGreaterThan(2 * (RATE + AUTO_BURST));
    }
  }


  private static long[] startTimes(XcSimulator sim) {
    long[] starts = sim.calls().stream().mapToLong(XcSimulator.Call::startNanos).toArray();
    Arrays.sort(starts);
    return starts;
  }

  /** Most starts in a half-open window [s, s + width) over all s; it suffices to try each start as s. */
  static int maxStartsInAnyWindow(long[] sortedStarts, long widthNanos) {
    int max = 0;
    int end = 0;
    for (int begin = 0; begin < sortedStarts.length; begin++) {
      while (end < sortedStarts.length && sortedStarts[end] < sortedStarts[begin] + widthNanos) {
        end++;
      }
      max = Math.max(max, end - begin);
    }
    return max;
  }

  /** Most starts in [t, t + width) for t stepping by {@code stepNanos} across the run (the brief's sliding window). */
  static int maxStartsInSteppedWindows(long[] sortedStarts, long widthNanos, long stepNanos) {
    int max = 0;
    long first = sortedStarts[0] - widthNanos;
    long last = sortedStarts[sortedStarts.length - 1];
    int begin = 0;
    int end = 0;
    for (long t = first; t <= last; t += stepNanos) {
      while (begin < sortedStarts.length && sortedStarts[begin] < t) {
        begin++;
      }
      while (end < sortedStarts.length && sortedStarts[end] < t + widthNanos) {
        end++;
      }
      max = Math.max(max, end - begin);
    }
    return max;
  }
}
