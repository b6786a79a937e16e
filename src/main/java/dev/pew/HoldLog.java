package dev.pew;

import dev.pew.dispatch.HoldController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says each change of the worker's hold once in the log (the causes are HTTP statuses and error
 * names, never a token or an address) and, when a hold ends, runs {@code resume} (the worker wakes
 * its dispatcher with it).
 *
 * <p>Called on the dispatcher's event loop.
 */
final class HoldLog implements HoldController.Listener {

  /** Under the worker's name, as these lines always were. */
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final Runnable resume;

  HoldLog(Runnable resume) {
    this.resume = resume;
  }

  @Override
  public void holdStarted(HoldController.Reason reason, String cause) {
    if (reason == HoldController.Reason.CREDENTIALS) {
      LOG.error("the XC API refused the credential ({}): holding; no event is failed; probing until a call is accepted "
          + "(rotate the token file or fix the certificate; ON_AUTH_FAILURE=fail fails events instead)", cause);
    } else {
      LOG.warn("the XC API looks down ({} on consecutive calls for several events): holding intake and calls; "
          + "probing one call at a time, attempts are not spent", cause);
    }
  }

  @Override
  public void holdReasonChanged(HoldController.Reason reason, String cause) {
    LOG.error("the XC API refused the credential ({}) while holding for an outage: still holding", cause);
  }

  @Override
  public void holdEnded(HoldController.Reason reason, long heldMillis) {
    LOG.info("the XC API answers again after {} s of holding ({}): resuming at full speed", heldMillis / 1000, reason);
    resume.run();
  }
}
