package dev.pew.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for F5 Distributed Cloud's {@code send_password_email} API: answers {@code POST
 * .../send_password_email} like the real one ({@code {}} on success, F5-style error bodies, 400 on a
 * bad body, 401 on a bad token when one is required), can be told to misbehave (latency, per-email
 * statuses, hangs, outages, throttling, a random fail rate, magic emails such as {@code
 * jane+503x2@example.com}), and records what it saw. Control endpoints under {@code /_sim/} do the
 * same over HTTP for out-of-process use, see {@link ControlEndpoints}. The HTTP server and its
 * routes are {@link SimulatorServer}'s, serving a call is {@link CallHandler}'s; this class holds
 * the behaviour and the record of calls, and is the API to both.
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

  private final Vertx vertx;
  private final SimulatorOptions options;
  private final LongSupplier clock;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Behaviour behaviour;
  /** Guarded by {@link #lock}. */
  private final CallStats stats;
  private final CallHandler calls;
  private volatile HttpServer server;

  private XcSimulator(Vertx vertx, SimulatorOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.clock = options.nanoClock();
    this.behaviour = new Behaviour(options);
    this.stats = new CallStats(options.callHistoryLimit());
    this.calls = new CallHandler(vertx, lock, behaviour, stats, clock);
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
    return SimulatorServer.listen(vertx, options, this, calls).map(listening -> {
      server = listening;
      LOG.debug("XC simulator listening on {} ({})", url(), options);
      return this;
    });
  }

  /** The bound port (the real one when the options asked for 0). */
  public int port() {
    return server.actualPort();
  }

  /** {@code http(s)://<host>:<port>}, with {@code 127.0.0.1} when bound to a wildcard address. */
  public String baseUrl() {
    return SimulatorServer.baseUrl(options, port());
  }

  /** The full API URL, {@link #baseUrl()} + {@link #API_PATH}: what {@code XC_ENDPOINT_URL} should be. */
  public String url() {
    return baseUrl() + API_PATH;
  }

  /** Lets go of hung calls and stops listening. Idempotent. */
  public Future<Void> close() {
    calls.close();
    HttpServer current = server;
    return current == null ? Future.succeededFuture() : current.close();
  }

  // ---- behaviour ----

  /** Every answer waits a uniformly random time within {@code [min, max]} (seeded). */
  public XcSimulator latency(Duration min, Duration max) {
    guarded(() -> behaviour.latency(min, max));
    LOG.info("latency {}..{} ms", min.toMillis(), max.toMillis());
    return this;
  }

  /**
   * The next {@code times} calls for {@code email} answer {@code status} (200..599), with a {@code
   * Retry-After} header when {@code retryAfter != null}; then back to normal. {@code times < 0}:
   * always; {@code times == 0}: removes the rule.
   */
  public XcSimulator respond(String email, int status, int times, String retryAfter) {
    guarded(() -> behaviour.respond(email, status, times, retryAfter));
    LOG.info("respond {} to {} ({} times)", status, Masking.email(email), times < 0 ? "all" : times);
    return this;
  }

  /** Calls for {@code email} are never answered (connection held open) until {@link #reset()} or {@link #close()}. */
  public XcSimulator hang(String email) {
    guarded(() -> behaviour.hang(email));
    LOG.info("hang calls for {}", Masking.email(email));
    return this;
  }

  /** That fraction (0..1) of all calls answers {@code status}, picked by the seeded random. 0 = off. */
  public XcSimulator failRate(double fraction, int status) {
    guarded(() -> behaviour.failRate(fraction, status));
    LOG.info("fail rate {} with {}", fraction, status);
    return this;
  }

  /** Every call answers {@code status} from now for {@code duration} (null = until {@link #up()}). */
  public XcSimulator down(int status, Duration duration) {
    guarded(() -> behaviour.down(status, duration, clock.getAsLong()));
    LOG.info("down with {} for {}", status, duration == null ? "ever" : duration.toMillis() + " ms");
    return this;
  }

  /** Ends {@link #down}. */
  public XcSimulator up() {
    guarded(() -> behaviour.up());
    LOG.info("up");
    return this;
  }

  /** Require {@code Authorization: APIToken <token>} (else 401); null = no auth. */
  public XcSimulator acceptToken(String token) {
    guarded(() -> behaviour.acceptToken(token));
    LOG.info("token {}", token == null ? "not required" : "required");
    return this;
  }

  /** Turns magic emails ({@code jane+404@example.com}) on or off. */
  public XcSimulator magicEmails(boolean enabled) {
    guarded(() -> behaviour.magicEmails(enabled));
    return this;
  }

  /**
   * Calls above {@code perSecond} (bursts up to {@code max(1, perSecond)}) get 429 with {@code
   * Retry-After: retryAfter} ({@code "1"} when null); 0 = off.
   */
  public XcSimulator throttle(double perSecond, String retryAfter) {
    guarded(() -> behaviour.throttle(perSecond, retryAfter, clock.getAsLong()));
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
    calls.releaseHungCalls();
    LOG.info("reset");
  }

  // ---- what it saw ----

  /** Calls to the API path since start or the last reset, valid or not. */
  public long totalCalls() {
    return read(CallStats::totalCalls);
  }

  /**
   * Connections clients opened since start or the last reset. With keep-alive (HTTP/1.1) or
   * multiplexing (HTTP/2) it stays far below {@link #totalCalls()}.
   */
  public long connections() {
    return read(CallStats::connectionsOpened);
  }

  /** Calls carrying exactly this email since start or the last reset. */
  public int callsFor(String email) {
    return read(s -> s.callsFor(email));
  }

  /** Calls received and not yet answered (nor abandoned by their client). */
  public int concurrent() {
    return read(CallStats::concurrent);
  }

  /** Highest {@link #concurrent()} since start, the last reset or {@link #resetPeak()}. */
  public int peakConcurrent() {
    return read(CallStats::peakConcurrent);
  }

  /** Starts the peak again from the current concurrency. */
  public void resetPeak() {
    guarded(stats::resetPeak);
  }

  /** Answers sent, by HTTP status (a snapshot, sorted by status). */
  public Map<Integer, Long> statusCounts() {
    return read(CallStats::statusCounts);
  }

  /** A snapshot of the recorded calls, in arrival order (the newest {@code callHistoryLimit} of them). */
  public List<Call> calls() {
    return read(CallStats::calls);
  }

  /** The body of {@code GET /_sim/stats}, one consistent snapshot. */
  JsonObject statsJson() {
    return read(CallStats::toJson);
  }

  /** Runs a change of the behaviour or the stats under the lock. */
  private void guarded(Runnable change) {
    synchronized (lock) {
      change.run();
    }
  }

  /** Reads the stats under the lock. */
  private <T> T read(Function<CallStats, T> reading) {
    synchronized (lock) {
      return reading.apply(stats);
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
}
