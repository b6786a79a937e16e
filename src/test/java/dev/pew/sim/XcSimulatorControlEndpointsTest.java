package dev.pew.sim;

import static dev.pew.sim.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code /_sim/} endpoints steer and report on a simulator from another process. */
@Timeout(10)
class XcSimulatorControlEndpointsTest extends SimulatorTestBase {

  private static final String EMAIL = "hello@example.com";
  private static final String JSON = "application/json";


  @Test
  void statsReportsCallsAndAnswers() {
    client.call(EMAIL);
    client.call(EMAIL);
    client.call("jane+404@example.com");

    JsonObject stats = control(HttpMethod.GET, "/_sim/stats", null).bodyAsJsonObject();

    assertThat(stats.getLong("totalCalls")).isEqualTo(3);
    assertThat(stats.getInteger("concurrent")).isZero();
    assertThat(stats.getInteger("peakConcurrent")).isEqualTo(1);
    assertThat(stats.getJsonObject("statusCounts")).isEqualTo(new JsonObject().put("200", 2).put("404", 1));
    assertThat(stats.getInteger("distinctEmails")).isEqualTo(2);
    assertThat(stats.getInteger("maxCallsPerEmail")).isEqualTo(2);
    assertThat(sim.totalCalls()).as("control calls are not API calls").isEqualTo(3);
  }

  @Test
  void downForAWhileThenUp() {
    control(HttpMethod.POST, "/_sim/down?status=504", null);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(504);
    control(HttpMethod.POST, "/_sim/up", null);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);

    control(HttpMethod.POST, "/_sim/down?status=503&ms=200", null);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.call(EMAIL).statusCode() == 200);
  }

  @Test
  void latencyDelaysAnswers() {
    control(HttpMethod.POST, "/_sim/latency?minMs=150&maxMs=200", null);

    long started = System.nanoTime();
    client.call(EMAIL);

    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(150);
  }

  @Test
  void respondSetsAPerEmailAnswer() {
    control(HttpMethod.POST, "/_sim/respond", "{\"email\":\"" + EMAIL + "\",\"status\":429,\"times\":1,\"retryAfter\":5}");

    HttpResponse<Buffer> throttled = client.call(EMAIL);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isEqualTo("5");
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenSwitchesAuthOnAndOff() {
    control(HttpMethod.POST, "/_sim/token", "{\"token\":\"s3cret\"}");
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(401);
    assertThat(client.callWithAuthorization(EMAIL, "APIToken s3cret").statusCode()).isEqualTo(200);

    control(HttpMethod.POST, "/_sim/token", "{\"token\":null}");
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
  }

  @Test
  void throttleLimitsTheRate() {
    control(HttpMethod.POST, "/_sim/throttle?perSecond=1&retryAfter=7", null);

    client.call(EMAIL);
    HttpResponse<Buffer> over = client.call(EMAIL);

    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.getHeader("Retry-After")).isEqualTo("7");
  }

  @Test
  void failRateAndHangAreSettable() {
    control(HttpMethod.POST, "/_sim/fail-rate?fraction=1&status=502", null);
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(502);

    control(HttpMethod.POST, "/_sim/hang", "{\"email\":\"stuck@example.com\"}");
    client.send("stuck@example.com");
    await().atMost(Duration.ofSeconds(2)).until(() -> sim.concurrent() == 1);
  }

  @Test
  void resetClearsRulesAndStats() {
    control(HttpMethod.POST, "/_sim/down?status=503", null);
    client.call(EMAIL);

    control(HttpMethod.POST, "/_sim/reset", null);

    assertThat(sim.totalCalls()).isZero();
    assertThat(client.call(EMAIL).statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsBadParametersWith400() {
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/down?status=abc", null, null));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/down?status=99", null, null));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/latency", null, null));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/latency?minMs=50&maxMs=10", null, null));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/respond", JSON, "{\"status\":503}"));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/respond", JSON, "not json"));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/throttle?perSecond=-1", null, null));
    assertBadRequest(client.raw(HttpMethod.POST, "/_sim/fail-rate?fraction=2", null, null));
    assertThat(client.raw(HttpMethod.GET, "/_sim/nothing", null, null).statusCode()).isEqualTo(404);
  }

  private HttpResponse<Buffer> control(HttpMethod method, String pathAndQuery, String json) {
    HttpResponse<Buffer> response = client.raw(method, pathAndQuery, json == null ? null : JSON, json);
    assertThat(response.statusCode()).as(method + " " + pathAndQuery + ": " + response.bodyAsString()).isEqualTo(200);
    return response;
  }

  private static void assertBadRequest(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(3);
    assertThat(response.bodyAsJsonObject().getString("message")).isNotBlank();
  }
}
