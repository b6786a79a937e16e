package dev.pew.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The operator's HTTP endpoints on {@code HTTP_PORT}: {@code GET /health/live}, {@code GET
 * /health/ready} (JSON naming each check; 200 when all are up, 503 otherwise) and {@code GET
 * /metrics} (Prometheus text).
 *
 * <p>Liveness: the event loop answers and the intake thread is alive. Readiness: Kafka answers,
 * the consumer is in its group (partitions assigned or waiting for some), results can be
 * published, and the worker is not holding. Runs on the event loop that deploys it; the Kafka check
 * uses Kafka's own {@link Admin} (its futures complete on the admin thread and are brought back to
 * that event loop), never blocking it.
 */
public final class OpsServer {

  private static final long KAFKA_CHECK_TIMEOUT_MS = 3000;

  private final Vertx vertx;
  private final WorkerStatus status;
  private final Admin admin;
  private final WorkerMetrics metrics;
  private final Context context;
  private HttpServer server;

  /** Create on the event loop that is to run the endpoints. */
  public OpsServer(Vertx vertx, WorkerStatus status, Admin admin, WorkerMetrics metrics) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.status = status;
    this.admin = admin;
    this.metrics = metrics;
  }

  public Future<HttpServer> listen(int port) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness(), null));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness(), null));
    router.get("/metrics").handler(ctx -> {
      if (metrics.registry() instanceof PrometheusMeterRegistry prometheus) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape());
      } else {
        ctx.response().setStatusCode(404).end("metrics are not exported in this mode\n");
      }
    });
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private HealthChecks liveness() {
    HealthChecks hc = HealthChecks.create(vertx);
    hc.register("event-loop", p -> p.complete(Status.OK()));
    hc.register("intake-thread", p -> p.complete(status.intakeRunning() ? Status.OK() : Status.KO()));
    return hc;
  }

  private HealthChecks readiness() {
    HealthChecks hc = HealthChecks.create(vertx);
    hc.register("kafka", KAFKA_CHECK_TIMEOUT_MS + 500, p -> Future
        .fromCompletionStage(admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_CHECK_TIMEOUT_MS))
            .nodes().toCompletionStage(), context)
        .timeout(KAFKA_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(nodes -> p.complete(Status.OK(new JsonObject().put("brokers", nodes.size()))))
        .onFailure(e -> p.complete(Status.KO(new JsonObject().put("error", cause(e).getClass().getSimpleName())))));
    hc.register("intake", p -> {
      JsonObject data = new JsonObject()
          .put("inGroup", status.inGroup())
          .put("assignedPartitions", status.assignedPartitions())
          .put("unfinished", status.unfinished())
          .put("paused", status.intakePaused())
          .put("restoringPartitions", status.restoringPartitions());
      p.complete(status.intakeRunning() && status.inGroup() && status.restoringPartitions() == 0
          ? Status.OK(data) : Status.KO(data));
    });
    hc.register("fleet", p -> p.complete(Status.OK(new JsonObject().put("members", status.fleetMembers())
        .put("share", status.fleetShare()).put("probing", status.fleetProber()).put("degraded", status.fleetDegraded()))));
    hc.register("results", p -> p.complete(status.publishFailing()
        ? Status.KO(new JsonObject().put("publishing", "failing, retrying")) : Status.OK()));
    hc.register("api", p -> {
      String hold = status.holdReason();
      JsonObject data = new JsonObject().put("inFlight", status.inFlight()).put("throttled", status.throttled());
      if (hold == null) {
        p.complete(Status.OK(data));
      } else {
        p.complete(Status.KO(data.put("holding", hold).put("heldSeconds", status.heldMillis() / 1000)));
      }
    });
    return hc;
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
