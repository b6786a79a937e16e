package dev.pew;

import static dev.pew.config.Settings.*;

import dev.pew.config.IntakeMode;
import dev.pew.config.Ordering;
import dev.pew.config.RateLimitScope;
import dev.pew.config.WorkerConfig;
import dev.pew.dispatch.DispatchOptions;
import dev.pew.dispatch.Dispatcher;
import dev.pew.dispatch.ExponentialJitterBackoff;
import dev.pew.dispatch.HoldController;
import dev.pew.dispatch.KeySequencer;
import dev.pew.dispatch.RateLimiter;
import dev.pew.dispatch.Throttle;
import dev.pew.intake.Completions;
import dev.pew.intake.Intake;
import dev.pew.fleet.ControlChannel;
import dev.pew.fleet.ControlTopic;
import dev.pew.fleet.Fleet;
import dev.pew.fleet.FleetOptions;
import dev.pew.fleet.GroupRateLimiter;
import dev.pew.fleet.JoinGate;
import dev.pew.ledger.Ledger;
import dev.pew.ledger.LedgerFollower;
import dev.pew.ledger.LedgerOptions;
import dev.pew.ledger.LedgerRestore;
import dev.pew.ops.OpsServer;
import dev.pew.ops.StateGauges;
import dev.pew.ops.StatusReporter;
import dev.pew.ops.WorkerMetrics;
import dev.pew.ops.WorkerStatus;
import dev.pew.pipeline.Pipeline;
import dev.pew.results.DirectPublisher;
import dev.pew.results.ResultPublisher;
import dev.pew.results.ResultTopics;
import dev.pew.results.Results;
import dev.pew.xc.OutcomeClassifier;
import dev.pew.xc.TokenSource;
import dev.pew.xc.XcApi;
import dev.pew.xc.XcClient;
import dev.pew.xc.XcClientOptions;
import dev.pew.xc.impl.FileTokenSource;
import dev.pew.xc.impl.WebClientXcClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * password-email-worker as one Vert.x verticle: builds the intake, the pipeline, the dispatcher with
 * its limits, the API client, the result publisher and the operator endpoints from the
 * configuration, each with its collaborators passed to its constructor, and takes them down
 * gracefully.
 *
 * <p>{@link #stop()} is the contract's SIGTERM behaviour: stop taking records, let calls in flight
 * finish (bounded by {@code SHUTDOWN_GRACE_MS}), publish their results, commit, close. Everything
 * but the intake thread and the operator endpoints ({@link OpsServer}, on an event loop of their
 * own) runs on this verticle's event loop.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final long LEDGER_PRUNE_MS = 10 * 60_000L;

  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final String instanceId = "pew-" + UUID.randomUUID().toString().substring(0, 8);

  private WorkerKafkaClients kafka;
  private TokenSource token;
  private XcClient xc;
  private ResultPublisher publisher;
  private DirectPublisher ledgerPublisher;
  private LedgerRestore ledgerRestore;
  private LedgerFollower ledgerFollower;
  private Ledger ledger;
  private Fleet fleet;
  private Admin admin;
  private Pipeline pipeline;
  private Dispatcher dispatcher;
  private HoldController hold;
  private Intake intake;
  private OpsServer ops;
  private StatusReporter statusReporter;
  private WorkerStatus status;

  public WorkerVerticle(WorkerConfig config, WorkerMetrics metrics, Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Starts in as few steps one after the other as the dependencies allow: the admin client first
   * (everything asks Kafka through it); then, at the same time, the ledger topic's check (creating it
   * when missing), the operator endpoints, and the fleet and intake joining the group. Nothing is
   * called before the ledger is known: a partition's records wait for its restore, and the restore
   * waits for the check. A ledger topic the worker may not create still fails the start.
   */
  @Override
  public Future<?> start() {
    kafka = new WorkerKafkaClients(vertx, config.kafka(), instanceId);
    return tokenSource().compose(t -> {
      token = t;
      return kafka.createAdmin();
    }).compose(a -> {
      admin = a;
      LedgerAtStart ledgerAtStart = wire();
      StateGauges gauges = new StateGauges(metrics.registry());
      gauges.bind(status);
      gauges.bindThrottle(dispatcher.throttle());
      // On an event loop of its own, reading this worker only through its WorkerStatus: scrapes and health
      // checks never run on (or wait for) this event loop, which dispatches the calls.
      Future<OpsServer> opsDeployed = OpsServer.deploy(vertx, status, admin, metrics, config.get(HTTP_PORT))
          .onSuccess(o -> ops = o);
      fleet.start();
      Future<Void> joined = Future.fromCompletionStage(intake.start(), context);
      return Future.all(ledgerAtStart.checked(), opsDeployed, joined);
    }).onSuccess(v -> {
      statusReporter = new StatusReporter(vertx, status, metrics);
      statusReporter.start(config.get(STATUS_INTERVAL_MS));
      LOG.info("worker {} started: {} -> {} / {}{}, {} calls in flight at most, operator endpoints on port {}",
          instanceId, config.get(TOPIC_INPUT), config.get(TOPIC_SENT), config.get(TOPIC_FAILED),
          config.get(TOPIC_DEAD_LETTER).map(d -> " (dead letters: " + d + ")").orElse(""), config.get(MAX_IN_FLIGHT),
          ops.port());
    }).onFailure(e -> {
      if (ops != null) {
        ops.close(); // a deployment of its own: it would keep the port otherwise
      }
    });
  }

  private Future<TokenSource> tokenSource() {
    if (config.get(XC_API_TOKEN_FILE).isPresent()) {
      return FileTokenSource.open(vertx, config.get(XC_API_TOKEN_FILE).get()).map(f -> (TokenSource) f);
    }
    return Future.succeededFuture(config.get(XC_API_TOKEN).map(TokenSource::of).orElse(TokenSource.none()));
  }

  /** Makes the worker's parts, the ledger topic's check at start first (it runs while the rest is made). */
  private LedgerAtStart wire() {
    publisher = new ResultPublisher(context, kafka.resultProducer(), metrics, clock);
    ResultTopics resultTopics = new ResultTopics(config.get(TOPIC_SENT), config.get(TOPIC_FAILED),
        config.get(TOPIC_DEAD_LETTER).orElse(null));
    Future<Void> resultsWarm = publisher.warm(resultTopics.all());
    ledgerPublisher = new DirectPublisher(context, kafka.ledgerProducer(), clock);
    LedgerOptions ledgerOptions = LedgerOptions.of(config.get(TOPIC_LEDGER), config.get(DEDUP_WINDOW_MS));
    LedgerAtStart ledgerAtStart = new LedgerAtStart(vertx, admin, ledgerOptions, config.get(TOPIC_INPUT), ledgerPublisher,
        resultsWarm);
    IntSupplier ledgerPartitions = ledgerAtStart::partitions;
    xc = new WebClientXcClient(vertx, new XcClientOptions()
        .setEndpoint(config.get(XC_ENDPOINT_URL))
        .setTimeoutMs(config.get(REQUEST_TIMEOUT_MS))
        .setMaxConnections(config.get(MAX_IN_FLIGHT))
        .setClientP12(config.get(XC_CLIENT_P12).orElse(null))
        .setClientP12Password(config.get(XC_CLIENT_P12_PASSWORD).orElse(""))
        .setCaFile(config.get(XC_CA_FILE).orElse(null)), token);
    if (config.get(INTAKE) == IntakeMode.SHARE) {
      // Every instance takes every partition's records: it follows the sends all of them record.
      ledgerFollower = new LedgerFollower(ledgerOptions.topic(), ledgerPartitions, kafka::ledgerFollowReader,
          ledgerOptions.keepMs(), clock, r -> context.runOnContext(v -> r.run()), metrics);
    } else {
      ledgerRestore = new LedgerRestore(ledgerOptions.topic(), -1, ledgerPartitions, kafka.ledgerRestoreReader(), metrics);
    }
    ledger = new Ledger(ledgerOptions, ledgerPublisher, ledgerFollower != null ? ledgerFollower : ledgerRestore, metrics, clock);
    vertx.setPeriodic(LEDGER_PRUNE_MS, id -> ledger.prune());

    ExponentialJitterBackoff backoff = ExponentialJitterBackoff.of(config.get(BACKOFF_INITIAL_MS), config.get(BACKOFF_MAX_MS));
    hold = new HoldController(config.get(HOLD_AFTER_FAILURES), backoff, clock, new HoldLog(() -> context.runOnContext(v -> dispatcher.wake())));
    Throttle throttle = new Throttle(clock);
    boolean groupScope = config.get(RATE_LIMIT_SCOPE) == RateLimitScope.GROUP;
    Optional<GroupRateLimiter> groupLimiter = groupScope && config.get(RATE_LIMIT_PER_SECOND) > 0
        ? Optional.of(new GroupRateLimiter(config.get(RATE_LIMIT_PER_SECOND), config.get(RATE_LIMIT_BURST), clock))
        : Optional.empty();
    // No call before this member has caught up with the fleet's control channel (a pause in force).
    JoinGate gate = new JoinGate(groupLimiter.<RateLimiter>map(l -> l).orElseGet(() ->
        RateLimiter.perSecond(config.get(RATE_LIMIT_PER_SECOND), config.get(RATE_LIMIT_BURST), clock)));
    dispatcher = new Dispatcher(vertx,
        new XcApi(xc, new OutcomeClassifier(config.get(ON_AUTH_FAILURE), config.get(RETRY_AFTER_MAX_MS), clock), metrics),
        new DispatchOptions(config.get(MAX_IN_FLIGHT), config.get(MAX_ATTEMPTS), config.get(BACKOFF_INITIAL_MS),
            config.get(REQUEST_TIMEOUT_MS) + 5000),
        backoff, gate, hold, throttle, ledger, clock, metrics);
    String control = config.get(TOPIC_CONTROL);
    fleet = new Fleet(vertx, context, FleetOptions.of(config.get(KAFKA_GROUP_ID), instanceId, groupScope),
        new ControlChannel(control, () -> ControlTopic.ensure(admin, control), kafka.controlProducer(),
            kafka.controlReader(), 10_000, clock),
        throttle, hold, groupLimiter, gate, dispatcher::demand, dispatcher::wake, metrics, clock);
    token.onChange(() -> context.runOnContext(v -> {
      hold.probeNow();
      dispatcher.wake();
    }));

    Results results = new Results(vertx, resultTopics, publisher, metrics, clock);
    Completions completions = new Completions();
    pipeline = new Pipeline(context, ledger, dispatcher, results,
        config.get(ORDERING) == Ordering.KEY ? Optional.of(new KeySequencer()) : Optional.empty(), completions, metrics);
    intake = new IntakeFactory(config, instanceId, admin, pipeline, completions, ledger, metrics, clock).create();
    status = new WorkerStatusView(intake, publisher, hold, dispatcher, pipeline, fleet, ledger);
    return ledgerAtStart;
  }

  @Override
  public Future<?> stop() {
    LOG.info("stopping: no new records; calls in flight get up to {} ms", config.get(SHUTDOWN_GRACE_MS));
    if (statusReporter != null) {
      statusReporter.stop();
    }
    Future<Void> intakeDone = intake == null ? Future.succeededFuture()
        : Future.fromCompletionStage(intake.stop(Duration.ofMillis(config.get(SHUTDOWN_GRACE_MS))), context);
    return intakeDone
        .eventually(() -> fleet == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          fleet.stop(); // its share goes to the others at once
          return null;
        }))
        .eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close(Duration.ofSeconds(5)))
        .eventually(() -> ledgerPublisher == null ? Future.succeededFuture() : ledgerPublisher.close(Duration.ofSeconds(5)))
        .eventually(() -> xc == null ? Future.succeededFuture() : xc.close())
        .eventually(() -> ops == null ? Future.succeededFuture() : ops.close())
        .eventually(() -> admin == null ? Future.succeededFuture() : kafka.closeAdmin(admin))
        .onComplete(ar -> {
          if (dispatcher != null) {
            dispatcher.close();
          }
          if (ledgerRestore != null) {
            ledgerRestore.close();
          }
          if (ledgerFollower != null) {
            ledgerFollower.close();
          }
          if (token instanceof FileTokenSource f) {
            f.close();
          }
          LOG.info("stopped: sent {}, failed {} since start", metrics.sentTotal(), metrics.failedTotal());
        });
  }

  /**
   * What the operator endpoints read about this worker (safe from any thread, values a moment old).
   *
   * @throws IllegalStateException before {@link #start()} has wired the worker
   */
  public WorkerStatus status() {
    if (status == null) {
      throw new IllegalStateException("the worker is not started");
    }
    return status;
  }

  /** The port of the operator endpoints (useful with {@code HTTP_PORT=0}). */
  public int opsPort() {
    return ops.port();
  }
}
