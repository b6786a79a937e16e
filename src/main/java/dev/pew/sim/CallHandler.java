package dev.pew.sim;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the calls to the API path for an {@link XcSimulator}: records each one, asks the
 * {@link Behaviour} for its {@link Verdict} when it arrives, answers after the verdict's delay on a
 * Vert.x timer (the event loop never blocks), and holds the calls a hang rule keeps open until
 * {@link #releaseHungCalls()}.
 *
 * <p>Thread-safe: the behaviour and the stats are its simulator's, guarded by the simulator's lock,
 * which every access here takes too.
 */
final class CallHandler {

  private static final Logger LOG = LoggerFactory.getLogger(XcSimulator.class);

  private final Vertx vertx;
  private final Object lock;
  private final Behaviour behaviour;
  private final CallStats stats;
  private final LongSupplier clock;
  /** Calls held open by a hang rule, so reset() and close() can let go of them. Guarded by {@link #lock}. */
  private final Map<CallStats.Entry, HungCall> hungCalls = new HashMap<>();
  private volatile boolean closed;

  /** {@code behaviour} and {@code stats} are guarded by {@code lock}, for this handler and its owner alike. */
  CallHandler(Vertx vertx, Object lock, Behaviour behaviour, CallStats stats, LongSupplier clock) {
    this.vertx = vertx;
    this.lock = lock;
    this.behaviour = behaviour;
    this.stats = stats;
    this.clock = clock;
  }

  /** A client opened a connection. */
  void connectionOpened() {
    synchronized (lock) {
      stats.connectionOpened();
    }
  }

  /** Serves one call (on the server's event loop). */
  void handle(RoutingContext ctx) {
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
    SimulatorServer.sendJson(response, verdict.status(), body);
  }

  /** From now on a hung call is let go of as soon as it is registered; lets go of those held now. */
  void close() {
    closed = true;
    releaseHungCalls();
  }

  /** Closes the connections of the calls a hang rule holds open. */
  void releaseHungCalls() {
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
