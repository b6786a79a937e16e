package dev.pew.xc.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.event.OnboardingEvent;
import dev.pew.xc.TokenSource;
import dev.pew.xc.XcClientOptions;
import dev.pew.xc.XcResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API client's deadline aborts the HTTP request underneath, so its connection serves the next call. */
@ExtendWith(VertxExtension.class)
class WebClientXcClientTest {

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallPastItsDeadlineIsResetAndItsConnectionServesTheNextCall(Vertx vertx) throws Exception {
    AtomicInteger requests = new AtomicInteger();
    // The first request gets its headers and then a byte every 50 ms, forever: an idle timeout never
    // fires, only a deadline that resets the request frees the connection. Every later one is answered.
    HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
      if (requests.getAndIncrement() == 0) {
        req.response().setChunked(true).setStatusCode(200).write(" ");
        long timer = vertx.setPeriodic(50, id -> req.response().write(" "));
        req.response().closeHandler(v -> vertx.cancelTimer(timer));
        req.connection().closeHandler(v -> vertx.cancelTimer(timer));
      } else {
        req.response().end("{}");
      }
    }).listen(0, "127.0.0.1"));
    XcClientOptions options = new XcClientOptions()
        .setEndpoint(URI.create("http://127.0.0.1:" + server.actualPort() + "/no_auth/send_password_email"))
        .setTimeoutMs(300)
        .setMaxConnections(1);
    OnboardingEvent event = new OnboardingEvent("e", "a@x.io", null);
    Future<XcResponse>[] answers = new Future[2];
    long[] elapsed = new long[2];
    WebClientXcClient[] client = new WebClientXcClient[1];
    await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null)); // a context for the client
    io.vertx.core.Context context = vertx.getOrCreateContext();
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      client[0] = new WebClientXcClient(vertx, options, TokenSource.none());
      long t0 = System.nanoTime();
      answers[0] = client[0].send(event).onComplete(ar -> {
        elapsed[0] = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        answers[1] = client[0].send(event).onComplete(ar2 -> {
          elapsed[1] = System.nanoTime() - t1;
          done.complete();
        });
      });
    });
    await(done.future());

    XcResponse late = await(answers[0]);
    assertThat(late.failure()).isEqualTo(XcResponse.Failure.TIMEOUT);
    assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed[0])).isBetween(250L, 2_000L);
    XcResponse next = await(answers[1]);
    assertThat(next.status()).as("the next call got the freed connection").isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed[1])).isLessThan(300L);
    await(client[0].close());
    await(server.close());
  }
  @Test
  void connectedCompletesOnceTheFirstCallHasItsConnectionAndNotBefore(Vertx vertx) throws Exception {
    io.vertx.core.Promise<Void> answerNow = io.vertx.core.Promise.promise();
    HttpServer server = await(vertx.createHttpServer().requestHandler(req ->
        answerNow.future().onComplete(v -> req.response().end("{}"))).listen(0, "127.0.0.1"));
    XcClientOptions options = new XcClientOptions()
        .setEndpoint(URI.create("http://127.0.0.1:" + server.actualPort() + "/no_auth/send_password_email"))
        .setTimeoutMs(5000);
    io.vertx.core.Context context = vertx.getOrCreateContext();
    WebClientXcClient[] client = new WebClientXcClient[1];
    Future<XcResponse>[] answer = new Future[1];
    await(context.<Void>executeBlocking(() -> null));
    io.vertx.core.Promise<Boolean> before = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      client[0] = new WebClientXcClient(vertx, options, TokenSource.none());
      before.complete(client[0].connected().isComplete());
      answer[0] = client[0].send(new OnboardingEvent("e", "a@x.io", null));
    });
    assertThat(await(before.future())).as("connected before any call").isFalse();
    await(client[0].connected()); // while the server still holds the answer back
    assertThat(answer[0].isComplete()).as("the call is still waiting for its answer").isFalse();
    answerNow.complete();
    assertThat(await(answer[0]).status()).isEqualTo(200);
    await(client[0].close());
    await(server.close());
  }
}
