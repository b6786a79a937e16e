package dev.pew.sim;

import static dev.pew.sim.SimClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator answers like the real API: paths, body validation, success and error shapes, auth. */
@Timeout(10)
class XcSimulatorApiTest extends SimulatorTestBase {

  private static final String JSON = "application/json";


  @Test
  void answersEmptyJsonObjectOnVendorPath() {
    HttpResponse<Buffer> response = client.call("hello@example.com");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject());
    assertThat(sim.url()).isEqualTo("http://127.0.0.1:" + sim.port() + XcSimulator.API_PATH);
  }

  @Test
  void answersOnPublishedSpecPath() {
    HttpResponse<Buffer> response = client.raw(HttpMethod.POST, "/no_auth/send_password_email", JSON,
        "{\"email\":\"hello@example.com\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject());
  }

  @Test
  void acceptsJsonContentTypeWithParametersAndNullCname() {
    HttpResponse<Buffer> response = client.raw(HttpMethod.POST, XcSimulator.API_PATH,
        "Application/JSON; charset=utf-8", "{\"cname\":null,\"email\":\"hello@example.com\"}");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void recordsWhatItSaw() {
    client.call("hello@example.com");
    client.call("hello@example.com");
    client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "{}");

    assertThat(sim.totalCalls()).isEqualTo(3);
    assertThat(sim.callsFor("hello@example.com")).isEqualTo(2);
    assertThat(sim.statusCounts()).isEqualTo(Map.of(200, 2L, 400, 1L));
    assertThat(sim.concurrent()).isZero();
    XcSimulator.Call first = sim.calls().get(0);
    assertThat(first.email()).isEqualTo("hello@example.com");
    assertThat(first.cname()).isEqualTo("acme");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.endNanos()).isGreaterThanOrEqualTo(first.startNanos());
    assertThat(first.authorization()).isNull();
    assertThat(first.toString()).doesNotContain("hello@example.com");
  }

  @Test
  void rejectsMissingEmailWith400() {
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "{\"cname\":\"acme\"}"));
  }

  @Test
  void rejectsInvalidEmailsWith400() {
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "{\"email\":42}"));
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "{\"email\":\"no-at-sign\"}"));
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "{\"email\":\"\"}"));
  }

  @Test
  void rejectsNonStringCnameWith400() {
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON,
        "{\"email\":\"hello@example.com\",\"cname\":7}"));
  }

  @Test
  void rejectsBodiesThatAreNotJsonObjectsWith400() {
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "email=hello@example.com"));
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, "[\"hello@example.com\"]"));
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, JSON, null));
  }

  @Test
  void rejectsWrongContentTypeWith400() {
    String valid = "{\"email\":\"hello@example.com\"}";
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, "text/plain", valid));
    assertBadRequest(client.raw(HttpMethod.POST, XcSimulator.API_PATH, null, valid));
  }

  @Test
  void answers404ForOtherPaths() {
    HttpResponse<Buffer> response = client.raw(HttpMethod.POST, "/api/v1/send_password_emails", JSON,
        "{\"email\":\"hello@example.com\"}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(5);
    assertThat(client.raw(HttpMethod.POST, "/send_password_email/x", JSON, "{}").statusCode()).isEqualTo(404);
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void answers404ForOtherMethodsOnApiPath() {
    assertThat(client.raw(HttpMethod.GET, XcSimulator.API_PATH, null, null).statusCode()).isEqualTo(404);
    assertThat(client.raw(HttpMethod.PUT, XcSimulator.API_PATH, JSON, "{\"email\":\"a@b.c\"}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void rejectsMissingOrWrongTokenWith401AndAcceptsTheRightOne(Vertx vertx) {
    XcSimulator secured = await(XcSimulator.start(vertx, new SimulatorOptions().acceptedToken("s3cret")));
    try {
      SimClient securedClient = new SimClient(vertx, secured);

      HttpResponse<Buffer> missing = securedClient.call("hello@example.com");
      HttpResponse<Buffer> wrong = securedClient.callWithAuthorization("hello@example.com", "APIToken nope");
      HttpResponse<Buffer> wrongScheme = securedClient.callWithAuthorization("hello@example.com", "Bearer s3cret");
      HttpResponse<Buffer> right = securedClient.callWithAuthorization("hello@example.com", "APIToken s3cret");

      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(missing.bodyAsJsonObject())
          .isEqualTo(new JsonObject().put("code", 16).put("message", "unauthenticated").put("details", new JsonArray()));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrongScheme.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(secured.calls().get(3).authorization()).isEqualTo("APIToken s3cret");
    } finally {
      await(secured.close());
    }
  }

  @Test
  void acceptTokenSwitchesAuthOnAndOff() {
    sim.acceptToken("t0ken");
    assertThat(client.call("hello@example.com").statusCode()).isEqualTo(401);
    assertThat(client.callWithAuthorization("hello@example.com", "APIToken t0ken").statusCode()).isEqualTo(200);

    sim.acceptToken(null);
    assertThat(client.call("hello@example.com").statusCode()).isEqualTo(200);
  }

  private static void assertBadRequest(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("code")).isEqualTo(3);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getJsonArray("details")).isEmpty();
  }
}
