package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.ResultEvent;
import dev.pew.sim.SimulatorOptions;

import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a process: SIGTERM mid-backlog drains and exits 0 with nothing for the next
 * instance to repeat; SIGKILL mid-backlog loses nothing, and the next owner repeats only the calls
 * that were in flight at the crash.
 */
@ExtendWith(VertxExtension.class)
class ProcessLifecycleIT {

  @TempDir
  Path dir;

  @Test
  void sigtermMidBacklogExitsZeroAndTheNextInstanceRepeatsNothing(Vertx vertx) {
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(200));
    try (WorkerHarness h = WorkerHarness.start(vertx, 4, slow)) {
      int n = 400;
      h.backlog("term", n);
      Map<String, String> env = h.processEnv();
      env.put("MAX_IN_FLIGHT", "16");
      env.put("SHUTDOWN_GRACE_MS", "15000");
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("term.log"))) {
        h.awaitResults(100, Duration.ofSeconds(60));
        assertThat(h.sim.concurrent()).as("calls in flight at SIGTERM").isPositive();
        worker.terminate();
        int code = worker.waitFor(Duration.ofSeconds(30));
        assertThat(code).as(worker.output()).isZero();
        assertThat(worker.output()).contains("shutdown: drained").contains("offsets committed").contains("exiting with code 0");
      }
      long doneByFirst = h.kafka.count(h.sent, h.failed);
      assertThat(doneByFirst).isLessThan(n);

      h.deploy(h.config().with(MAX_IN_FLIGHT, 16).build());
      h.awaitResults(n, Duration.ofSeconds(60));
      h.awaitAllCommitted(Duration.ofSeconds(20));

      List<ResultEvent> results = h.results(h.sent);
      assertThat(results).hasSize(n);
      assertThat(results.stream().map(ResultEvent::eventId).distinct()).hasSize(n);
      Map<String, Long> calls = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.counting()));
      assertThat(calls).hasSize(n);
      assertThat(calls.entrySet()).filteredOn(e -> e.getValue() > 1).isEmpty();
    }
  }

  @Test
  void sigkillMidBacklogLosesNothingAndRepeatsOnlyTheCallsInFlight(Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 6)) {
      int n = 600;
      int maxInFlight = 16;
      // Every 25th email hangs: with 16 of them outstanding the worker is stuck mid-backlog, with
      // finished records above each stuck one (only the commit metadata remembers those).
      List<String> hung = new ArrayList<>();
      for (int i = 7; i < n; i += 25) {
        String email = "crash" + i + "@example.com";
        h.sim.hang(email);
        hung.add(email);
      }
      h.backlog("crash", n);
      Map<String, String> env = h.processEnv();
      env.put("MAX_IN_FLIGHT", Integer.toString(maxInFlight));
      env.put("MAX_BUFFERED", Integer.toString(maxInFlight));
      env.put("REQUEST_TIMEOUT_MS", "120000");
      Map<String, Integer> callsBeforeCrash;
      int inFlightAtCrash;
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("crash.log"))) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> h.sim.concurrent() == maxInFlight);
        // Stuck: every slot holds a hung call. Wait until what finished is committed (a commit
        // follows within a poll interval), then kill without any shutdown.
        long results = h.kafka.count(h.sent, h.failed);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(500))
            .until(() -> h.kafka.count(h.sent, h.failed) == results && committedCovers(h, results));
        inFlightAtCrash = h.sim.concurrent();
        callsBeforeCrash = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.summingInt(c -> 1)));
        worker.kill();
        worker.waitFor(Duration.ofSeconds(10));
      }
      long doneBeforeCrash = h.kafka.count(h.sent, h.failed);
      assertThat(doneBeforeCrash).as("mid-backlog").isLessThan(n);
      h.sim.reset(); // the API is well again; the survivor's calls are counted afresh

      h.deploy(h.config().with(MAX_IN_FLIGHT, maxInFlight).build());
      h.awaitResults(n, Duration.ofSeconds(90));

      Map<String, Long> after = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.counting()));
      List<String> repeated = after.keySet().stream().filter(callsBeforeCrash::containsKey).toList();
      assertThat(repeated).as("repeated calls are the calls in flight at the crash").hasSize(inFlightAtCrash);
      assertThat(hung).containsAll(repeated);
      // Nothing lost: every input has a result.
      List<ResultEvent> results = h.results(h.sent);
      assertThat(results.stream().map(ResultEvent::eventId).distinct()).hasSize(n);
    }
  }

  /** Whether the group's commits (offsets plus metadata) cover {@code results} finished records. */
  private static boolean committedCovers(WorkerHarness h, long results) {
    long covered = 0;
    for (var e : h.kafka.committed(h.group).entrySet()) {
      covered += e.getValue().offset();
      covered += dev.pew.intake.group.CompletedOffsets.decode(e.getValue().metadata()).map(c -> c.count()).orElse(0);
    }
    return covered >= results;
  }
}
