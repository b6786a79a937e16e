package dev.pew.intake.share;

import dev.pew.intake.Completions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Routes what the pipeline finished to the lane that holds the record: completed (its result
 * acknowledged, so the lane ACCEPTs it) or let go (the lane RELEASEs it). Items are completed
 * before they are done, so a done item whose completion is not in {@link Completions} by the time
 * it is routed was let go; the lane ignores a second notice for a record already completed.
 * {@link #done} runs on the event loop; {@link #route} on the intake's main thread.
 */
final class FinishedRouter {

  private final Completions completions;
  private final Runnable wake;
  private final ConcurrentLinkedQueue<ShareLease> done = new ConcurrentLinkedQueue<>();

  /** {@code wake}: wakes the thread that calls {@link #route}. */
  FinishedRouter(Completions completions, Runnable wake) {
    this.completions = completions;
    this.wake = wake;
  }

  /** From the event loop: the pipeline is done with this record's item. */
  void done(ShareLease lease) {
    done.add(lease);
    wake.run();
  }

  void route() {
    List<ShareLease> ended = new ArrayList<>();
    ShareLease l;
    while ((l = done.poll()) != null) {
      ended.add(l);
    }
    Set<ShareLease> completed = Collections.newSetFromMap(new IdentityHashMap<>());
    completions.drain(item -> {
      if (item.lease() instanceof ShareLease s) {
        completed.add(s);
        s.lane.deliver(s, true);
      }
    });
    for (ShareLease e : ended) {
      if (!completed.contains(e)) {
        e.lane.deliver(e, false); // the lane ignores it when the completion came in an earlier round
      }
    }
  }
}
