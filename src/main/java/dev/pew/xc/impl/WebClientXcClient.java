package dev.pew.xc.impl;

import dev.pew.event.OnboardingEvent;
import dev.pew.xc.TokenSource;
import dev.pew.xc.XcClient;
import dev.pew.xc.XcClientOptions;
import dev.pew.xc.XcResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * {@link XcClient} on one Vert.x {@link WebClient}: keep-alive connections in a pool as large as the
 * concurrency limit (Vert.x's default of 5 would queue calls behind each other), HTTP/2 offered
 * through ALPN on https (used when the endpoint accepts it), TLS with host verification, and the F5
 * API certificate for mutual TLS when configured.
 *
 * <p>Deadline: the web client has none of its own ({@code idleTimeout} only catches a silent
 * server), so each call has a timer at {@code REQUEST_TIMEOUT_MS} that resets the HTTP request
 * underneath: the stream (HTTP/2) or connection (HTTP/1.1) is freed for the next call instead of
 * staying busy with an answer nobody waits for. The request is reached through the web client's
 * interceptor hook ({@code WebClientInternal}, the mechanism Vert.x's own OAuth2 and session
 * clients use). Use from one event loop.
 */
public final class WebClientXcClient implements XcClient {

  /** A call in progress: its HTTP request once it exists, and whether its deadline passed. */
  private static final class Call {
    HttpClientRequest request;
    boolean late;
  }

  private final Vertx vertx;
  private final WebClient client;
  /** Calls in progress by their web-client request (identity): confined to the event loop. */
  private final Map<HttpRequest<?>, Call> calls = new IdentityHashMap<>();
  private final XcClientOptions options;
  private final TokenSource token;
  private final int port;
  private final String host;
  private final String path;
  /** The last token and its header value: most calls reuse them instead of concatenating anew. */
  private final Promise<Void> connected = Promise.promise();
  private String lastToken;
  private String lastAuthorization;

  public WebClientXcClient(Vertx vertx, XcClientOptions options, TokenSource token) {
    this.options = options.validate();
    this.token = token;
    // The target is taken apart once: an absolute URL would be parsed again on every call.
    java.net.URI endpoint = options.endpoint();
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() > 0 ? endpoint.getPort() : options.https() ? 443 : 80;
    this.path = (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
        + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery());
    WebClientOptions web = new WebClientOptions()
        .setUserAgent(options.userAgent())
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeoutMs()))
        .setFollowRedirects(false);
    if (options.https()) {
      web.setSsl(true).setVerifyHost(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false);
      if (options.clientP12() != null) {
        web.setKeyCertOptions(new PfxOptions().setPath(options.clientP12().toString())
            .setPassword(options.clientP12Password()));
      }
      if (options.caFile() != null) {
        web.setTrustOptions(new PemTrustOptions().addCertPath(options.caFile().toString()));
      }
    }
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(options.maxConnections())
        // One HTTP/2 connection multiplexes up to the server's stream limit (typically 100).
        .setHttp2MaxSize(Math.max(1, (options.maxConnections() + 99) / 100));
    this.vertx = vertx;
    this.client = WebClient.create(vertx, web, pool);
    ((WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() == ClientPhase.SEND_REQUEST) {
        Call call = calls.get(ctx.request());
        if (call != null && !connected.future().isComplete()) { // an API call has its connection; tell after this send
          io.vertx.core.Context here = Vertx.currentContext();
          if (here != null) {
            here.runOnContext(v -> connected.tryComplete());
          } else {
            connected.tryComplete();
          }
        }
        if (call != null) {
          call.request = ctx.clientRequest();
          if (call.late) {
            call.request.reset(0, new TimeoutException("deadline passed"));
          }
        }
      }
      ctx.next();
    });
  }

  @Override
  public Future<Void> connected() {
    return connected.future();
  }

  @Override
  public Future<XcResponse> send(OnboardingEvent event) {
    long start = System.nanoTime();
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, port, host, path)
        .ssl(options.https())
        .putHeader("Content-Type", "application/json")
        .putHeader("Accept", "application/json")
        .idleTimeout(options.timeoutMs())
        .connectTimeout(options.timeoutMs());
    token.current().ifPresent(t -> request.putHeader("Authorization", authorization(t)));
    Call call = new Call();
    calls.put(request, call);
    long deadline = vertx.setTimer(options.timeoutMs(), id -> {
      call.late = true;
      if (call.request != null) {
        call.request.reset(0, new TimeoutException("no answer within " + options.timeoutMs() + " ms"));
      }
    });
    return request.sendBuffer(RequestBody.of(event))
        .transform(ar -> {
          vertx.cancelTimer(deadline);
          calls.remove(request);
          long latency = System.nanoTime() - start;
          if (call.late) {
            return Future.succeededFuture(failure(new TimeoutException(), latency));
          }
          if (ar.succeeded()) {
            return Future.succeededFuture(XcResponse.status(
                ar.result().statusCode(), ar.result().getHeader("Retry-After"), latency));
          }
          return Future.succeededFuture(failure(ar.cause(), latency));
        });
  }

  private String authorization(String token) {
    if (!token.equals(lastToken)) {
      lastToken = token;
      lastAuthorization = "APIToken " + token;
    }
    return lastAuthorization;
  }

  private XcResponse failure(Throwable t, long latency) {
    if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
      return XcResponse.failure(XcResponse.Failure.TIMEOUT, "no answer within " + options.timeoutMs() + " ms", latency);
    }
    return XcResponse.failure(XcResponse.Failure.CONNECTION, describe(t), latency);
  }

  /** A short, secret-free reason; the TLS cause is often wrapped (a DecoderException around it). */
  private String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException) {
        return "TLS handshake failed (" + c.getClass().getSimpleName() + ")";
      }
    }
    if (t instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    if (t instanceof ClosedChannelException || t instanceof io.vertx.core.VertxException) {
      // Over HTTP/2 a refused client certificate closes the connection without telling why.
      return options.https() ? "connection closed before an answer (TLS handshake refused, or the server hung up)"
          : "connection closed before an answer";
    }
    return "connection error (" + t.getClass().getSimpleName() + ")";
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
