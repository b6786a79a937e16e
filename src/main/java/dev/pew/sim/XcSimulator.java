package dev.pew.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for F5 Distributed Cloud's {@code send_password_email} API: answers {@code POST
 * .../send_password_email} like the real one ({@code {}} on success, F5-style error bodies, 400 on a
 * bad body, 401 on a bad token when one is required), can be told to misbehave (latency, per-email
 * statuses, hangs, outages, throttling, a random fail rate, magic emails such as {@code
 * jane+503x2@example.com}), and records what it saw. Control endpoints under {@code /_sim/} do the
 * same over HTTP for out-of-process use, see {@link ControlEndpoints}.
 *
 * <p>Precedence when several rules apply: hang &gt; auth &gt; down &gt; invalid body (400) &gt;
 * per-email respond &gt; magic email &gt; throttle &gt; fail rate &gt; 200. Rules are applied when a
 * call arrives; latency is a Vert.x timer, the event loop never blocks.
 *
 * <p>Thread-safe: every method may be called from any thread (tests call them from the JUnit
 * thread); a change takes effect for calls that arrive after it returns.
 */
public final class XcSimulator {

  /** The path of the vendor page's URL; any path ending in {@code /send_password_email} is served. */
  public static final String API_PATH =
      "/api/v1/api/production/us-east-1/namespaces/default/no_auth/send_password_email";

  private static final Logger LOG = LoggerFactory.getLogger(XcSimulator.class);
  private static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final LongSupplier clock;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Behaviour behaviour;
  /** Guarded by {@link #lock}. */
  private final CallStats stats;
  /** Calls held open by a hang rule, so reset() and close() can let go of them. Guarded by {@link #lock}. */
  private final Map<CallStats.Entry, HungCall> hungCalls = new HashMap<>();
  private volatile HttpServer server;
  private volatile boolean closed;

  private XcSimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.clock = options.nanoClock();
    this.behaviour = new Behaviour(options);
    this.stats = new CallStats(options.callHistoryLimit());
  }

  /**
   * Starts a simulator on {@code vertx}. The options are copied and validated; invalid options or a
   * port in use fail the future.
   */
  public static Future<XcSimulator> start(Vertx vertx, SimulatorOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    SimulatorOptions copy;
    try {
      copy = new SimulatorOptions(Objects.requireNonNull(options, "options")).validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    XcSimulator simulator = new XcSimulator(vertx, copy);
    return simulator.listen();
  }

  private Future<XcSimulator> listen() {
    HttpServer created = vertx.createHttpServer(serverOptions()).requestHandler(router())
        .connectionHandler(connection -> {
          synchronized (lock) {
            stats.connectionOpened();
          }
        });
    return created.listen().map(listening -> {
      server = listening;
      LOG.debug("XC simulator listening on {} ({})", url(), options);
      return this;
    });
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(options.host()).setPort(options.port());
    if (options.keyStoreP12() != null) {
      serverOptions.setSsl(true).setKeyCertOptions(new PfxOptions()
          .setPath(options.keyStoreP12().toString()).setPassword(options.keyStorePassword()));
      if (options.http2()) {
        serverOptions.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
      }
    }
    if (options.trustStoreP12() != null) {
      serverOptions.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PfxOptions()
          .setPath(options.trustStoreP12().toString()).setPassword(options.trustStorePassword()));
    }
    return serverOptions;
  }

  private Router router() {
    Router router = Router.router(vertx);
    ControlEndpoints.mount(router, this);
    router.post().pathRegex(".*/send_password_email")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(this::handleCall);
    // Also catches other methods on the API path, which the real API answers with 404 as well.
    router.route().handler(ctx -> sendJson(ctx.response(), 404, ApiErrors.body(404, "not found")));
    return router;
  }

  /** The bound port (the real one when the options asked for 0). */
  public int port() {
    return server.actualPort();
  }

  /** {@code http(s)://<host>:<port>}, with {@code 127.0.0.1} when bound to a wildcard address. */
  public String baseUrl() {
    String host = options.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (options.keyStoreP12() != null ? "https" : "http") + "://" + host + ":" + port();
  }

  /** The full API URL, {@link #baseUrl()} + {@link #API_PATH}: what {@code XC_ENDPOINT_URL} should be. */
  public String url() {
    return baseUrl() + API_PATH;
  }

  /** Lets go of hung calls and stops listening. Idempotent. */
  public Future<Void> close() {
    closed = true;
    releaseHungCalls();
    HttpServer current = server;
    return current == null ? Future.succeededFuture() : current.close();
  }

  // ---- behaviour ----

  /** Every answer waits a uniformly random time within {@code [min, max]} (seeded). */
  public XcSimulator latency(Duration min, Duration max) {
    synchronized (lock) {
      behaviour.latency(min, max);
    }
    LOG.info("latency {}..{} ms", min.toMillis(), max.toMillis());
    return this;
  }

  /**
   * The next {@code times} calls for {@code email} answer {@code status} (200..599), with a {@code
   * Retry-After} header when {@code retryAfter != null}; then back to normal. {@code times < 0}:
   * always; {@code times == 0}: removes the rule.
   */
  public XcSimulator respond(String email, int status, int times, String retryAfter) {
    synchronized (lock) {
      behaviour.respond(email, status, times, retryAfter);
    }
    LOG.info("respond {} to {} ({} times)", status, Masking.email(email), times < 0 ? "all" : times);
    return this;
  }

  /** Calls for {@code email} are never answered (connection held open) until {@link #reset()} or {@link #close()}. */
  public XcSimulator hang(String email) {
    synchronized (lock) {
      behaviour.hang(email);
    }
    LOG.info("hang calls for {}", Masking.email(email));
    return this;
  }

  /** That fraction (0..1) of all calls answers {@code status}, picked by the seeded random. 0 = off. */
  public XcSimulator failRate(double fraction, int status) {
    synchronized (lock) {
      behaviour.failRate(fraction, status);
    }
    LOG.info("fail rate {} with {}", fraction, status);
    return this;
  }

  /** Every call answers {@code status} from now for {@code duration} (null = until {@link #up()}). */
  public XcSimulator down(int status, Duration duration) {
    synchronized (lock) {
      behaviour.down(status, duration, clock.getAsLong());
    }
    LOG.info("down with {} for {}", status, duration == null ? "ever" : duration.toMillis() + " ms");
    return this;
  }

  /** Ends {@link #down}. */
  public XcSimulator up() {
    synchronized (lock) {
      behaviour.up();
    }
    LOG.info("up");
    return this;
  }

  /** Require {@code Authorization: APIToken <token>} (else 401); null = no auth. */
  public XcSimulator acceptToken(String token) {
    synchronized (lock) {
      behaviour.acceptToken(token);
    }
    LOG.info("token {}", token == null ? "not required" : "required");
    return this;
  }

  /** Turns magic emails ({@code jane+404@example.com}) on or off. */
  public XcSimulator magicEmails(boolean enabled) {
    synchronized (lock) {
      behaviour.magicEmails(enabled);
    }
    return this;
  }

  /**
   * Calls above {@code perSecond} (bursts up to {@code max(1, perSecond)}) get 429 with {@code
   * Retry-After: retryAfter} ({@code "1"} when null); 0 = off.
   */
  public XcSimulator throttle(double perSecond, String retryAfter) {
    synchronized (lock) {
      behaviour.throttle(perSecond, retryAfter, clock.getAsLong());
    }
    LOG.info("throttle {}/s", perSecond);
    return this;
  }

  /**
   * Back to the options the simulator started with: rules dropped, random sequences restarted, hung
   * calls let go of (their connections closed), counters and history cleared. Calls still being
   * answered stay in {@link #concurrent()} until they end, but their answers are not counted.
   */
  public void reset() {
    synchronized (lock) {
      behaviour.reset(clock.getAsLong());
      stats.reset();
    }
    releaseHungCalls();
    LOG.info("reset");
  }

  // ---- what it saw ----

  /** Calls to the API path since start or the last reset, valid or not. */
  public long totalCalls() {
    synchronized (lock) {
      return stats.totalCalls();
    }
  }

  /**
   * Connections clients opened since start or the last reset. With keep-alive (HTTP/1.1) or
   * multiplexing (HTTP/2) it stays far below {@link #totalCalls()}.
   */
  public long connections() {
    synchronized (lock) {
      return stats.connectionsOpened();
    }
  }

  /** Calls carrying exactly this email since start or the last reset. */
  public int callsFor(String email) {
    synchronized (lock) {
      return stats.callsFor(email);
    }
  }

  /** Calls received and not yet answered (nor abandoned by their client). */
  public int concurrent() {
    synchronized (lock) {
      return stats.concurrent();
    }
  }

  /** Highest {@link #concurrent()} since start, the last reset or {@link #resetPeak()}. */
  public int peakConcurrent() {
    synchronized (lock) {
      return stats.peakConcurrent();
    }
  }

  /** Starts the peak again from the current concurrency. */
  public void resetPeak() {
    synchronized (lock) {
      stats.resetPeak();
    }
  }

  /** Answers sent, by HTTP status (a snapshot, sorted by status). */
  public Map<Integer, Long> statusCounts() {
    synchronized (lock) {
      return stats.statusCounts();
    }
  }

  /** A snapshot of the recorded calls, in arrival order (the newest {@code callHistoryLimit} of them). */
  public List<Call> calls() {
    synchronized (lock) {
      return stats.calls();
    }
  }

  /** The body of {@code GET /_sim/stats}, one consistent snapshot. */
  JsonObject statsJson() {
    synchronized (lock) {
      JsonObject byStatus = new JsonObject();
      stats.statusCounts().forEach((status, count) -> byStatus.put(String.valueOf(status), count));
      return new JsonObject()
          .put("totalCalls", stats.totalCalls())
          .put("concurrent", stats.concurrent())
          .put("connections", stats.connectionsOpened())
          .put("peakConcurrent", stats.peakConcurrent())
          .put("statusCounts", byStatus)
          .put("distinctEmails", stats.distinctEmails())
          .put("maxCallsPerEmail", stats.maxCallsPerEmail());
    }
  }

  /**
   * One call as the simulator saw it.
   *
   * @param email the email, null when the body had none
   * @param cname the cname, null when absent
   * @param startNanos when it arrived, on the simulator's {@code nanoClock}
   * @param endNanos when it was answered, -1 while unanswered (and for ever if its client gave up)
   * @param status the answer's status, -1 while unanswered
   * @param authorization the {@code Authorization} header as received (a secret: do not log it)
   * @param httpVersion the protocol the call came over ({@code HTTP_2} when the client took the ALPN
   *     offer, see {@link SimulatorOptions#http2(boolean)}), null when not known
   */
  public record Call(String email, String cname, long startNanos, long endNanos, int status, String authorization,
      HttpVersion httpVersion) {

    /** A call whose protocol is not known. */
    public Call(String email, String cname, long startNanos, long endNanos, int status, String authorization) {
      this(email, cname, startNanos, endNanos, status, authorization, null);
    }

    public boolean answered() {
      return status >= 0;
    }

    @Override
    public String toString() {
      // Shown in assertion failures: keep the email masked and the token out.
      return "Call{email=" + Masking.email(email) + ", cname=" + cname + ", status=" + status
          + ", durationMs=" + (endNanos < 0 ? "-" : String.valueOf((endNanos - startNanos) / 1_000_000))
          + ", authorization=" + (authorization == null ? "none" : "***") + ", httpVersion=" + httpVersion + "}";
    }
  }

  // ---- serving a call (on the server's event loop) ----

  private void handleCall(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    CallRequest call = CallRequest.parse(request.getHeader(HttpHeaders.CONTENT_TYPE), ctx.body().buffer());
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    CallStats.Entry entry;
    Verdict verdict;
    synchronized (lock) {
      long now = clock.getAsLong();
      entry = stats.arrive(call.email(), call.cname(), authorization, request.version(), now);
      verdict = behaviour.decide(call, authorization, entry.callNumber, now);
      if (verdict.hang()) {
        hungCalls.put(entry, new HungCall(request, Vertx.currentContext()));
      }
    }
    response.closeHandler(connectionClosed -> {
      synchronized (lock) {
        stats.abandon(entry);
        hungCalls.remove(entry);
      }
    });
    if (verdict.hang()) {
      LOG.debug("hanging call for {}", Masking.email(call.email()));
      if (this.closed) {
        releaseHungCalls(); // close() ran before this call was registered
      }
      return;
    }
    long delayMs = (verdict.delayNanos() + 999_999) / 1_000_000;
    if (delayMs == 0) {
      answer(response, entry, verdict);
    } else {
      vertx.setTimer(delayMs, timer -> answer(response, entry, verdict));
    }
  }

  private void answer(HttpServerResponse response, CallStats.Entry entry, Verdict verdict) {
    if (response.closed() || response.ended()) {
      synchronized (lock) {
        stats.abandon(entry);
      }
      return;
    }
    // Counted before the bytes go out, so a client that has its answer always sees it in the stats.
    synchronized (lock) {
      if (!stats.answer(entry, verdict.status(), clock.getAsLong())) {
        return;
      }
    }
    LOG.debug("answering {} for {}", verdict.status(), Masking.email(entry.email));
    if (verdict.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, verdict.retryAfter());
    }
    if (verdict.status() == 204 || verdict.status() == 304) {
      response.setStatusCode(verdict.status()).end();
      return;
    }
    JsonObject body = verdict.message() == null
        ? ApiErrors.answerBody(verdict.status())
        : ApiErrors.body(verdict.status(), verdict.message());
    sendJson(response, verdict.status(), body);
  }

  static void sendJson(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toBuffer());
  }

  private void releaseHungCalls() {
    List<HungCall> release;
    synchronized (lock) {
      release = new ArrayList<>(hungCalls.values());
      hungCalls.clear();
    }
    release.forEach(HungCall::release);
  }

  /** A call held open by a hang rule, and the event loop its connection lives on. */
  private record HungCall(HttpServerRequest request, Context context) {
    void release() {
      // Closing is the only honest way out: an answer would contradict "never answered".
      context.runOnContext(v -> request.connection().close());
    }
  }
}
