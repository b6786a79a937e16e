package dev.pew.xc;

import dev.pew.event.OnboardingEvent;
import io.vertx.core.Future;

/**
 * Calls F5 Distributed Cloud's {@code send_password_email} once per {@link #send}.
 *
 * <p>Guarantee: the returned future always succeeds, within the configured deadline plus a small
 * margin, with either the HTTP status or a transport failure; it never retries by itself (retries are
 * the dispatcher's decision). Call from a Vert.x event loop; the future completes on it.
 */
public interface XcClient {

  Future<XcResponse> send(OnboardingEvent event);

  Future<Void> close();

  /** Completes once a first request has gone out on a connection (on the sending event loop). */
  default Future<Void> connected() {
    return Future.succeededFuture();
  }
}
