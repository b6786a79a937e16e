package dev.pew.intake;

import java.util.List;

/**
 * The pipeline as the intake thread sees it. Implementations are thread-safe: every method is
 * called on the intake thread and must not block it.
 */
public interface IntakeSink {

  /** Hands records over; they are counted in {@link #pending()} before this returns. */
  void accept(List<WorkItem> batch);

  /** Items handed over and not yet finished or released. */
  int pending();

  /** False while the worker holds (API outage, refused credential) or results cannot be published. */
  boolean acceptingIntake();

  /** Asks the pipeline to release queued items whose lease ended; returns at once. */
  void releaseInactive();
}
