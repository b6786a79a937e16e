package dev.pew.it;

import static dev.pew.config.Settings.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.WorkerVerticle;
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

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The worker as a process: SIGTERM mid-backlog drains and exits 0 with nothing for the next
 * instance to repeat; SIGKILL mid-backlog loses nothing, and the next owner repeats only the calls
 * that were in flight at the crash. Under either group protocol (the next owner reads the commit
 * metadata's finished-offset hints in its assign callback).
 */
@ExtendWith(VertxExtension.class)
class ProcessLifecycleIT {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "group.protocol={0}")
  @EnumSource(GroupProtocol.class)
  void sigtermMidBacklogExitsZeroAndTheNextInstanceRepeatsNothing(GroupProtocol protocol, Vertx vertx) {
    SimulatorOptions slow = new SimulatorOptions().latency(Duration.ofMillis(100), Duration.ofMillis(200));
    try (WorkerHarness h = WorkerHarness.start(vertx, 4, slow)) {
      h.groupProtocol(protocol);
      int n = 400;
      h.backlog("term", n);
      Map<String, String> env = h.processEnv();
      env.put("MAX_IN_FLIGHT", "16");
      env.put("SHUTDOWN_GRACE_MS", "15000");
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("term.log"))) {
        h.awaitResults(100, Duration.ofSeconds(60));
        assertThat(h.groupType().name()).as("the group's protocol on the broker").isEqualTo(protocol.name());
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

  @ParameterizedTest(name = "group.protocol={0}")
  @EnumSource(GroupProtocol.class)
  void sigkillMidBacklogLosesNothingAndRepeatsOnlyTheCallsInFlight(GroupProtocol protocol, Vertx vertx) {
    try (WorkerHarness h = WorkerHarness.start(vertx, 6)) {
      h.groupProtocol(protocol);
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
      long killedAt;
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("crash.log"))) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> h.sim.concurrent() == maxInFlight);
        // Stuck: every slot holds a hung call. Wait until what finished is committed (a commit
        // follows within a poll interval), then kill without any shutdown.
        long results = h.kafka.count(h.sent, h.failed);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(500))
            .until(() -> h.kafka.count(h.sent, h.failed) == results && committedCovers(h, results));
        assertThat(h.groupType().name()).as("the group's protocol on the broker").isEqualTo(protocol.name());
        inFlightAtCrash = h.sim.concurrent();
        callsBeforeCrash = h.sim.calls().stream().collect(Collectors.groupingBy(c -> c.email(), Collectors.summingInt(c -> 1)));
        worker.kill();
        killedAt = System.nanoTime();
        worker.waitFor(Duration.ofSeconds(10));
      }
      long doneBeforeCrash = h.kafka.count(h.sent, h.failed);
      assertThat(doneBeforeCrash).as("mid-backlog").isLessThan(n);
      h.sim.reset(); // the API is well again; the survivor's calls are counted afresh

      WorkerVerticle survivor = h.deploy(h.config().with(MAX_IN_FLIGHT, maxInFlight).build());
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> survivor.status().assignedPartitions() == 6);
      long takeOver = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      h.awaitResults(n, Duration.ofSeconds(90));
      System.out.printf(java.util.Locale.ROOT, "ProcessLifecycleIT group.protocol=%s: after SIGKILL the survivor owned all "
          + "6 partitions %d ms after the kill (the dead member's session had to expire); calls in flight at the crash %d%n",
          protocol, takeOver, inFlightAtCrash);

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
