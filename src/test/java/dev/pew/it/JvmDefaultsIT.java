package dev.pew.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.WorkerHarness;
import dev.pew.testing.WorkerProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker run as an operator runs it ({@code dev.pew.Main}) makes its calls without Netty's
 * flight-recorder events, which would set up the JVM's JFR event machinery on the first request
 * (dev.pew.JvmDefaults); an operator's {@code -Dio.netty.jfr.enabled=true} still turns them on. Read
 * from the process's own class-loading log ({@code -Xlog:class+load} through {@code JAVA_TOOL_OPTIONS}).
 */
@ExtendWith(VertxExtension.class)
class JvmDefaultsIT {

  /** Loaded only once Netty asks whether its allocator's JFR events are enabled. */
  private static final String NETTY_JFR_EVENT = "io.netty.buffer.AllocateChunkEvent ";
  /** Loaded once a call's request is encoded: the call really happened. */
  private static final String HTTP_CLIENT = "io.netty.handler.codec.http.HttpClientCodec ";

  @TempDir
  Path dir;

  @Test
  void aWorkerProcessCallsTheApiWithoutNettysFlightRecorderEvents(Vertx vertx) throws IOException {
    String loaded = classesLoadedWhileSendingOne(vertx, "");
    assertThat(lines(loaded, HTTP_CLIENT)).as("the call was made").isNotEmpty();
    assertThat(lines(loaded, NETTY_JFR_EVENT)).as("Netty's JFR event classes").isEmpty();
  }

  @Test
  void anOperatorsChoiceTurnsThemBackOn(Vertx vertx) throws IOException {
    String loaded = classesLoadedWhileSendingOne(vertx, " -Dio.netty.jfr.enabled=true");
    assertThat(lines(loaded, HTTP_CLIENT)).as("the call was made").isNotEmpty();
    assertThat(lines(loaded, NETTY_JFR_EVENT)).as("Netty's JFR event classes").isNotEmpty();
  }

  private static List<String> lines(String classLog, String className) {
    return classLog.lines().filter(l -> l.contains("] " + className)).toList();
  }

  private String classesLoadedWhileSendingOne(Vertx vertx, String moreOptions) throws IOException {
    Path classLog = dir.resolve("classes.log");
    try (WorkerHarness h = WorkerHarness.start(vertx, 1)) {
      h.send("jfr@example.com", "{\"eventId\":\"jfr-1\",\"email\":\"jfr@example.com\"}");
      Map<String, String> env = h.processEnv();
      env.put("HTTP_PORT", "0");
      env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classLog + moreOptions);
      try (WorkerProcess worker = WorkerProcess.start(env, dir.resolve("worker.log"))) {
        h.awaitResults(1, Duration.ofSeconds(40));
        assertThat(h.results(h.sent)).hasSize(1);
        worker.terminate(); // a graceful exit: the JVM closes its log file whole
        assertThat(worker.waitFor(Duration.ofSeconds(30))).as(worker.tail(20)).isZero();
      }
    }
    return Files.readString(classLog);
  }
}
