package dev.pew.xc;

import dev.pew.dispatch.Api;
import dev.pew.dispatch.Verdict;
import dev.pew.event.OnboardingEvent;
import io.vertx.core.Future;

/**
 * The dispatcher's {@link Api} on F5's {@code send_password_email}: one {@link XcClient} call, its
 * answer counted in the call metrics and turned into a {@link Verdict} by the contract's outcome
 * table ({@link OutcomeClassifier}). Use from the client's event loop.
 */
public final class XcApi implements Api {

  private final XcClient client;
  private final OutcomeClassifier classifier;
  private final CallMetrics metrics;

  public XcApi(XcClient client, OutcomeClassifier classifier, CallMetrics metrics) {
    this.client = client;
    this.classifier = classifier;
    this.metrics = metrics;
  }

  @Override
  public Future<Verdict> call(OnboardingEvent event) {
    return client.send(event).map(response -> {
      metrics.call(response.label(), response.latencyNanos());
      return classifier.classify(response);
    });
  }

  @Override
  public Future<Void> connected() {
    return client.connected();
  }
}
