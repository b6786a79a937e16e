package dev.pew.sim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A WebClient aimed at one simulator, with blocking helpers for the JUnit thread. Not thread-safe. */
final class SimClient {

  static final long AWAIT_SECONDS = 5;

  private final WebClient web;
  private final XcSimulator sim;

  SimClient(Vertx vertx, XcSimulator sim) {
    this(vertx, sim, new WebClientOptions());
  }

  SimClient(Vertx vertx, XcSimulator sim, WebClientOptions options) {
    // A pool wide enough that parallel calls really are parallel.
    this.web = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(64));
    this.sim = sim;
  }

  /** A well-formed call for {@code email} to the vendor URL. */
  Future<HttpResponse<Buffer>> send(String email) {
    return request(HttpMethod.POST, XcSimulator.API_PATH).sendJsonObject(body(email));
  }

  HttpResponse<Buffer> call(String email) {
    return await(send(email));
  }

  HttpResponse<Buffer> callWithAuthorization(String email, String authorization) {
    return await(request(HttpMethod.POST, XcSimulator.API_PATH)
        .putHeader("Authorization", authorization)
        .sendJsonObject(body(email)));
  }

  /** A raw request: any method, path (relative to the server) and content type. */
  HttpResponse<Buffer> raw(HttpMethod method, String path, String contentType, String body) {
    HttpRequest<Buffer> request = request(method, path);
    MultiMap headers = request.headers();
    if (contentType != null) {
      headers.set("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return web.requestAbs(method, sim.baseUrl() + path);
  }

  static JsonObject body(String email) {
    return new JsonObject().put("cname", "acme").put("email", email);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + AWAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
