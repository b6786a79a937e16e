package dev.pew.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * The HTTP side of an {@link XcSimulator}: the server (plain HTTP, TLS, HTTP/2 by ALPN, mutual TLS,
 * as the options say) and its routes: the control endpoints under {@code /_sim/}, any path ending in
 * {@code /send_password_email} for the API, and 404 in the API's own error shape for everything
 * else. Stateless.
 */
final class SimulatorServer {

  private static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final String JSON = "application/json";

  private SimulatorServer() {}

  /** Starts listening as {@code options} say, with the API's calls served by {@code calls}. */
  static Future<HttpServer> listen(Vertx vertx, SimulatorOptions options, XcSimulator sim, CallHandler calls) {
    return vertx.createHttpServer(serverOptions(options)).requestHandler(router(vertx, sim, calls))
        .connectionHandler(connection -> calls.connectionOpened())
        .listen();
  }

  /** {@code http(s)://<host>:<port>}, with {@code 127.0.0.1} when bound to a wildcard address. */
  static String baseUrl(SimulatorOptions options, int port) {
    String host = options.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (options.keyStoreP12() != null ? "https" : "http") + "://" + host + ":" + port;
  }

  static HttpServerOptions serverOptions(SimulatorOptions options) {
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

  private static Router router(Vertx vertx, XcSimulator sim, CallHandler calls) {
    Router router = Router.router(vertx);
    ControlEndpoints.mount(router, sim);
    router.post().pathRegex(".*/send_password_email")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(calls::handle);
    // Also catches other methods on the API path, which the real API answers with 404 as well.
    router.route().handler(ctx -> sendJson(ctx.response(), 404, ApiErrors.body(404, "not found")));
    return router;
  }

  static void sendJson(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toBuffer());
  }
}
