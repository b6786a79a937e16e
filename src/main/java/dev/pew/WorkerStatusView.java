package dev.pew;

import dev.pew.dispatch.Dispatcher;
import dev.pew.dispatch.HoldController;
import dev.pew.fleet.Fleet;
import dev.pew.intake.Intake;
import dev.pew.ledger.Ledger;
import dev.pew.ops.WorkerStatus;
import dev.pew.pipeline.Pipeline;
import dev.pew.results.ResultPublisher;

/**
 * The running worker as health checks, the status line and the state gauges read it: each answer
 * comes from the one component that knows it (intake, publisher, hold, dispatcher, pipeline,
 * fleet, ledger). Made once those are wired, so none of them is missing.
 *
 * <p>Guarantee: the {@link WorkerStatus} contract, safe to read from any thread (the operator
 * endpoints' event loop, a scrape, the status timer), values a moment old; it never runs anything
 * on, or waits for, the event loop that dispatches the calls. Holds no state of its own.
 */
final class WorkerStatusView implements WorkerStatus {

  private final Intake intake;
  private final ResultPublisher publisher;
  private final HoldController hold;
  private final Dispatcher dispatcher;
  private final Pipeline pipeline;
  private final Fleet fleet;
  private final Ledger ledger;

  WorkerStatusView(Intake intake, ResultPublisher publisher, HoldController hold, Dispatcher dispatcher, Pipeline pipeline,
      Fleet fleet, Ledger ledger) {
    this.intake = intake;
    this.publisher = publisher;
    this.hold = hold;
    this.dispatcher = dispatcher;
    this.pipeline = pipeline;
    this.fleet = fleet;
    this.ledger = ledger;
  }

  @Override
  public boolean intakeRunning() {
    return intake.running();
  }

  @Override
  public boolean inGroup() {
    return intake.inGroup();
  }

  @Override
  public int assignedPartitions() {
    return intake.assignedPartitions();
  }

  @Override
  public boolean publishFailing() {
    return publisher.failing();
  }

  @Override
  public String holdReason() {
    HoldController.Reason r = hold.reason();
    return r == null ? null : r.name();
  }

  @Override
  public long heldMillis() {
    return hold.heldMillis();
  }

  @Override
  public boolean throttled() {
    return dispatcher.throttle().active();
  }

  @Override
  public int inFlight() {
    return dispatcher.inFlight();
  }

  @Override
  public int unfinished() {
    return pipeline.pending();
  }

  @Override
  public int fleetMembers() {
    return fleet.members();
  }

  @Override
  public double fleetShare() {
    return fleet.share();
  }

  @Override
  public boolean fleetProber() {
    return fleet.prober();
  }

  @Override
  public boolean fleetDegraded() {
    return fleet.degraded();
  }

  @Override
  public int restoringPartitions() {
    return intake.waitingPartitions();
  }

  @Override
  public long ledgerEntries() {
    return ledger.entries();
  }

  @Override
  public boolean intakePaused() {
    return intake.paused();
  }
}
