package dev.pew.sim;

import static dev.pew.sim.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tags in the email's local part make sample events fail on purpose without configuring rules. */
@Timeout(10)
class XcSimulatorMagicEmailTest extends SimulatorTestBase {


  @Test
  void answersTheTaggedStatusEveryTime() {
    assertThat(client.call("jane+404@example.com").statusCode()).isEqualTo(404);
    assertThat(client.call("jane+404@example.com").statusCode()).isEqualTo(404);
    assertThat(client.call("jane+409@example.com").statusCode()).isEqualTo(409);
  }

  @Test
  void answersTheTaggedStatusForTheFirstCallsThenOk() {
    assertThat(client.call("jane+503x2@example.com").statusCode()).isEqualTo(503);
    assertThat(client.call("jane+503x2@example.com").statusCode()).isEqualTo(503);
    assertThat(client.call("jane+503x2@example.com").statusCode()).isEqualTo(200);
  }

  @Test
  void answers429WithRetryAfterOnceThenOk() {
    HttpResponse<Buffer> throttled = client.call("jane+429x1@example.com");

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.getHeader("Retry-After")).isEqualTo("1");
    assertThat(client.call("jane+429x1@example.com").statusCode()).isEqualTo(200);
  }

  @Test
  void neverAnswersHangTag() {
    assertThatThrownBy(() -> await(client.request(HttpMethod.POST, XcSimulator.API_PATH)
        .idleTimeout(300).sendJsonObject(SimClient.body("jane+hang@example.com"))))
        .hasMessageContaining("imeout");
  }

  @Test
  void addsSlowTagLatency() {
    long started = System.nanoTime();
    HttpResponse<Buffer> response = client.call("jane+slow250@example.com");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(250);
  }

  @Test
  void ignoresTagsWhenMagicEmailsAreOff() {
    sim.magicEmails(false);

    assertThat(client.call("jane+404@example.com").statusCode()).isEqualTo(200);
  }
}
