package dev.pew.ops;

import dev.pew.dispatch.Throttle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The meters read from the running worker's state on each scrape ({@code pew_calls_in_flight},
 * {@code pew_holding}, {@code pew_fleet_*}, {@code pew_ready}, ...), as README's metrics table lists
 * them; the meters the pipeline's stages record into are {@link WorkerMetrics}'. Nothing is recorded
 * here: each gauge asks its source when scraped.
 *
 * <p>Guarantee: each bind registers its meters once, holding its source strongly (a gauge never
 * goes missing because its source was collected). The gauges are read on the scraping thread (the
 * operator endpoints' event loop), so their sources must be safe to read from any thread, as
 * {@link WorkerStatus} is; binding happens once, while the worker or its endpoints start.
 */
public final class StateGauges {

  private final MeterRegistry registry;

  public StateGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the meters read from the running worker's state on each scrape. */
  public void bind(WorkerStatus status) {
    gauge("pew.calls.in.flight", "Calls outstanding now", status::inFlight);
    gauge("pew.events.unfinished", "Records read and not finished", status::unfinished);
    for (String reason : new String[] {"OUTAGE", "CREDENTIALS"}) {
      Gauge.builder("pew.holding", () -> reason.equals(status.holdReason()) ? 1 : 0).tag("reason", reason)
          .description("1 while the worker holds for this reason (outage or refused credential)").strongReference(true)
          .register(registry);
    }
    gauge("pew.throttled", "1 while a 429's Retry-After pauses all calls", () -> status.throttled() ? 1 : 0);
    gauge("pew.intake.paused", "1 while intake is paused", () -> status.intakePaused() ? 1 : 0);
    gauge("pew.fleet.members", "Members of the fleet (this consumer group) this instance knows, itself included",
        status::fleetMembers);
    gauge("pew.fleet.share", "This instance's share of the group's rate limit, 0 to 1 (1 with RATE_LIMIT_SCOPE=instance)",
        status::fleetShare);
    gauge("pew.fleet.prober", "1 while this instance probes for the whole fleet", () -> status.fleetProber() ? 1 : 0);
    gauge("pew.fleet.degraded", "1 while the fleet's control channel is lost (a conservative share applies)",
        () -> status.fleetDegraded() ? 1 : 0);
    gauge("pew.ledger.entries", "Sends the ledger holds in memory (within the window)", status::ledgerEntries);
    gauge("pew.ledger.restoring.partitions", "Owned partitions whose records wait for the ledger's restore",
        status::restoringPartitions);
    gauge("pew.result.publish.failing", "1 while results cannot be published", () -> status.publishFailing() ? 1 : 0);
    FunctionCounter.builder("pew.hold.seconds", status, s -> s.heldMillis() / 1000.0)
        .description("Time spent holding since start").baseUnit("seconds").register(registry);
  }

  /** Registers {@code pew_throttled_seconds_total}: the time {@code throttle}'s Retry-After pauses held calls back. */
  public void bindThrottle(Throttle throttle) {
    FunctionCounter.builder("pew.throttled.seconds", throttle, t -> t.pausedMillis() / 1000.0)
        .description("Time no call started because a 429's Retry-After paused them all").baseUnit("seconds")
        .register(registry);
  }

  /** Registers {@code pew_ready}: 1 while {@code /health/ready} would answer UP, else 0. */
  public void bindReady(BooleanSupplier ready) {
    gauge("pew.ready", "1 while /health/ready reports UP, else 0", () -> ready.getAsBoolean() ? 1 : 0);
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).strongReference(true).register(registry);
  }
}
