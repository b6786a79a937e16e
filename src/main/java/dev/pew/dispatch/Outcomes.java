package dev.pew.dispatch;

import dev.pew.xc.Verdict;

/**
 * Where the dispatcher hands items it is done with. Called on the dispatcher's event loop.
 */
public interface Outcomes {

  /** A final verdict: {@link Verdict.Sent} or {@link Verdict.Failed}; publish its result. */
  void finished(WorkItem item, Verdict verdict);

  /**
   * Left unfinished because its lease ended (partition revoked or lost, or shutdown): no result, no
   * commit; the next owner of the partition processes it.
   */
  void released(WorkItem item);
}
