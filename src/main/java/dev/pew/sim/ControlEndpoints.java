package dev.pew.sim;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.function.Function;

/**
 * HTTP twins of {@link XcSimulator}'s methods under {@code /_sim/}, for a simulator in another
 * process (docker-compose, a local run):
 * <ul>
 *   <li>{@code GET /_sim/stats}: {@code totalCalls, concurrent, connections, peakConcurrent, statusCounts,
 *       distinctEmails, maxCallsPerEmail};
 *   <li>{@code POST /_sim/reset}, {@code POST /_sim/up};
 *   <li>{@code POST /_sim/down?status=503&ms=20000} (no {@code ms}: until up);
 *   <li>{@code POST /_sim/latency?minMs=10&maxMs=50};
 *   <li>{@code POST /_sim/respond} with {@code {"email","status","times","retryAfter"}} (times default 1);
 *   <li>{@code POST /_sim/hang} with {@code {"email"}};
 *   <li>{@code POST /_sim/token} with {@code {"token": "..."}} or {@code {"token": null}};
 *   <li>{@code POST /_sim/throttle?perSecond=50&retryAfter=1};
 *   <li>{@code POST /_sim/fail-rate?fraction=0.1&status=503}.
 * </ul>
 * They answer 200 with a JSON object, or 400 with an F5-style error naming the bad parameter. They
 * are not counted as calls and need no token. Stateless: mounts handlers that delegate to the
 * (thread-safe) simulator.
 */
final class ControlEndpoints {

  static final String PREFIX = "/_sim";

  private ControlEndpoints() {}

  static void mount(Router router, XcSimulator sim) {
    router.route(PREFIX + "/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    router.get(PREFIX + "/stats").handler(control(ctx -> sim.statsJson()));
    router.post(PREFIX + "/reset").handler(control(ctx -> {
      sim.reset();
      return new JsonObject();
    }));
    router.post(PREFIX + "/up").handler(control(ctx -> {
      sim.up();
      return new JsonObject();
    }));
    router.post(PREFIX + "/down").handler(control(ctx -> {
      Long ms = longParam(ctx, "ms", null);
      sim.down(intParam(ctx, "status", 503), ms == null ? null : Duration.ofMillis(ms));
      return new JsonObject();
    }));
    router.post(PREFIX + "/latency").handler(control(ctx -> {
      long minMs = longParam(ctx, "minMs", null, "minMs is required");
      long maxMs = longParam(ctx, "maxMs", minMs);
      sim.latency(Duration.ofMillis(minMs), Duration.ofMillis(maxMs));
      return new JsonObject();
    }));
    router.post(PREFIX + "/respond").handler(control(ctx -> {
      JsonObject body = jsonBody(ctx);
      Object retryAfter = body.getValue("retryAfter");
      sim.respond(requiredString(body, "email"), requiredInt(body, "status"), intField(body, "times", 1),
          retryAfter == null ? null : retryAfter.toString());
      return new JsonObject();
    }));
    router.post(PREFIX + "/hang").handler(control(ctx -> {
      sim.hang(requiredString(jsonBody(ctx), "email"));
      return new JsonObject();
    }));
    router.post(PREFIX + "/token").handler(control(ctx -> {
      Object token = jsonBody(ctx).getValue("token");
      if (token != null && !(token instanceof String)) {
        throw new IllegalArgumentException("token must be a string or null");
      }
      sim.acceptToken((String) token);
      return new JsonObject();
    }));
    router.post(PREFIX + "/throttle").handler(control(ctx -> {
      sim.throttle(doubleParam(ctx, "perSecond"), ctx.request().getParam("retryAfter"));
      return new JsonObject();
    }));
    router.post(PREFIX + "/fail-rate").handler(control(ctx -> {
      sim.failRate(doubleParam(ctx, "fraction"), intParam(ctx, "status", 503));
      return new JsonObject();
    }));
  }

  private static Handler<RoutingContext> control(Function<RoutingContext, JsonObject> action) {
    return ctx -> {
      JsonObject result;
      try {
        result = action.apply(ctx);
      } catch (IllegalArgumentException e) { // NumberFormatException included
        SimulatorServer.sendJson(ctx.response(), 400, ApiErrors.body(400, e.getMessage()));
        return;
      }
      SimulatorServer.sendJson(ctx.response(), 200, result);
    };
  }

  /** The body as an object; an empty body or {@code null} count as {@code {}}. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    if (ctx.body().isEmpty()) {
      return new JsonObject();
    }
    Object value;
    try {
      value = Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw new IllegalArgumentException("body is not valid JSON");
    }
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("body must be a JSON object");
    }
    return json;
  }

  private static String requiredString(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String value)) {
      throw new IllegalArgumentException(field + " is required and must be a string");
    }
    return value;
  }

  private static int requiredInt(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof Number value)) {
      throw new IllegalArgumentException(field + " is required and must be a number");
    }
    return value.intValue();
  }

  private static int intField(JsonObject body, String field, int defaultValue) {
    Object value = body.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return number.intValue();
  }

  private static int intParam(RoutingContext ctx, String name, int defaultValue) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? defaultValue : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  private static Long longParam(RoutingContext ctx, String name, Long defaultValue) {
    return longParam(ctx, name, defaultValue, null);
  }

  private static Long longParam(RoutingContext ctx, String name, Long defaultValue, String missingMessage) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      if (missingMessage != null) {
        throw new IllegalArgumentException(missingMessage);
      }
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  private static double doubleParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
  }
}
