package dev.pew.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoints on {@code HTTP_PORT}: {@code GET /health/live}, {@code GET
 * /health/ready} (JSON naming each check with its status and the age of its result; 200 when all
 * are up, 503 otherwise) and {@code GET /metrics} (Prometheus text), plus the {@code pew_ready}
 * gauge.
 *
 * <p>A verticle of its own on an event loop of its own, so that neither a scrape nor a health check
 * runs on, or waits for, the worker's event loop that dispatches calls; it reads the worker's state
 * only through {@link WorkerStatus}. The health answers come from {@link HealthMonitor}, which keeps
 * the checks current on its own schedule: an answer never waits for Kafka or the API.
 *
 * <p>{@link #deploy} deploys it beside the calling verticle rather than under it (Vert.x undeploys
 * a verticle's children before its {@code stop()}, and the endpoints must keep answering while the
 * worker drains), and on another event loop than the caller's. The worker closes it last
 * ({@link #close()}).
 */
public final class OpsServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  /** Vert.x hands out event loops in turn; a deployment that lands on the worker's own is made again. */
  private static final int MAX_ATTEMPTS = 4;

  private final WorkerStatus status;
  private final Context workerLoop;
  private final Thread avoid;
  private final Admin admin;
  private final WorkerMetrics metrics;
  private final int port;
  private volatile HttpServer server;
  private volatile String deploymentId;
  private HealthMonitor monitor;
  private int tries;

  private OpsServer(WorkerStatus status, Context workerLoop, Thread avoid, Admin admin, WorkerMetrics metrics, int port) {
    this.status = status;
    this.workerLoop = workerLoop;
    this.avoid = avoid;
    this.admin = admin;
    this.metrics = metrics;
    this.port = port;
  }

  /**
   * Deploys the endpoints for the worker whose context calls this (its event loop is the one
   * liveness watches and the one the endpoints keep off), as a deployment of their own. The future
   * completes on the caller's context once the port is bound.
   *
   * @param status the worker's state, read from the endpoints' event loop
   * @param admin Kafka's admin client for the Kafka check (the caller closes it, after {@link #close()})
   * @param port {@code HTTP_PORT}; 0 for an ephemeral one
   */
  public static Future<OpsServer> deploy(Vertx vertx, WorkerStatus status, Admin admin, WorkerMetrics metrics, int port) {
    Context caller = vertx.getOrCreateContext();
    Thread avoid = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
    CompletableFuture<OpsServer> deployed = new CompletableFuture<>();
    // A deployment made from inside a verticle becomes its child: deploy from a context that belongs
    // to no deployment, made on a thread outside Vert.x.
    Thread launcher = new Thread(() -> vertx.getOrCreateContext().runOnContext(v ->
        attempt(vertx, () -> new OpsServer(status, caller, avoid, admin, metrics, port), 1, deployed)), "pew-ops-deploy");
    launcher.setDaemon(true);
    launcher.start();
    return Future.fromCompletionStage(deployed, caller);
  }

  private static void attempt(Vertx vertx, Supplier<OpsServer> create, int n, CompletableFuture<OpsServer> deployed) {
    OpsServer ops = create.get();
    ops.tries = n;
    vertx.deployVerticle(ops).onComplete(ar -> {
      if (ar.succeeded()) {
        ops.deploymentId = ar.result();
        deployed.complete(ops);
      } else if (ar.cause() instanceof SameEventLoop && n < MAX_ATTEMPTS) {
        attempt(vertx, create, n + 1, deployed);
      } else {
        deployed.completeExceptionally(ar.cause());
      }
    });
  }

  /** The deployment landed on the worker's event loop: made again on the next one. */
  private static final class SameEventLoop extends RuntimeException {
    SameEventLoop() {
      super("the operator endpoints landed on the worker's event loop", null, false, false);
    }
  }

  @Override
  public Future<?> start() {
    if (Thread.currentThread() == avoid) {
      if (tries < MAX_ATTEMPTS) {
        return Future.failedFuture(new SameEventLoop());
      }
      LOG.warn("the operator endpoints share the worker's event loop (one event loop only?): scrapes and health "
          + "checks then wait for dispatching and the other way round");
    }
    HealthMonitor m = new HealthMonitor(vertx, status, HealthMonitor.KafkaProbe.of(admin), workerLoop, System::nanoTime);
    monitor = m;
    m.start();
    new StateGauges(metrics.registry()).bindReady(() -> m.readiness().up());
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> answer(ctx, m::liveness));
    router.get("/health/ready").handler(ctx -> answer(ctx, m::readiness));
    router.get("/metrics").handler(ctx -> {
      if (metrics.registry() instanceof PrometheusMeterRegistry prometheus) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape());
      } else {
        ctx.response().setStatusCode(404).end("metrics are not exported in this mode\n");
      }
    });
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    if (monitor != null) {
      monitor.stop();
    }
    HttpServer s = server;
    return s == null ? Future.succeededFuture() : s.close();
  }

  private static void answer(RoutingContext ctx, Supplier<HealthReport> report) {
    HealthReport r = report.get();
    ctx.response().setStatusCode(r.up() ? 200 : 503)
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "no-store")
        .end(r.toJson().encode());
  }

  /** The bound port (useful with {@code HTTP_PORT=0}). */
  public int port() {
    return server.actualPort();
  }

  /** Undeploys the endpoints (stops the checks, closes the port). */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }
}
