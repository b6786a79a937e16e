package dev.pew.dispatch;

import dev.pew.event.OnboardingEvent;
import io.vertx.core.Future;

/**
 * One call of {@code send_password_email}, as the dispatcher sees it: an event in, a {@link Verdict}
 * out. Implemented by the API client ({@code dev.pew.xc}), so the dispatcher depends on no HTTP
 * code.
 *
 * <p>Contract: the future completes within the call's deadline and does not retry by itself. The
 * dispatcher still copes with an implementation that breaks it: a failed future or a synchronous
 * throw counts as a transport failure, and a future that never completes is ended by the
 * dispatcher's own deadline. Called on the dispatcher's event loop.
 */
@FunctionalInterface
public interface Api {

  Future<Verdict> call(OnboardingEvent event);

  /**
   * Completes, on the dispatcher's event loop, once a first request has gone out on a connection to
   * the API. Until then (or until a first answer) a dispatcher under a rate limit keeps one call in
   * flight: a fresh process's first request waits for its connection, cold code and TLS, and calls
   * granted meanwhile at the limit's pace would reach the API all together when it is up.
   */
  default Future<Void> connected() {
    return Future.succeededFuture();
  }
}
