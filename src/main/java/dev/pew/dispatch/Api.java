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
}
