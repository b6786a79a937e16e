package dev.pew.pipeline;

import dev.pew.dispatch.Dispatcher;
import dev.pew.dispatch.HoldController;
import dev.pew.dispatch.KeySequencer;
import dev.pew.intake.Completions;
import dev.pew.intake.IntakeSink;
import dev.pew.intake.WorkItem;
import dev.pew.ledger.Ledger;
import dev.pew.results.Results;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each record from the intake to its end, and nothing else: invalid records to their
 * result; valid ones (in key order when asked) to the {@link Ledger} first (a send it holds under
 * the record's own offset was an earlier delivery's: a duplicate result naming the record itself,
 * no call; an event id sent within the window: a duplicate result, no call), then one at a time per
 * event id (a second delivery waits for the first's outcome) through the {@link Dispatcher} and to their result. A record on the
 * last delivery its share group allows, unknown to the ledger, fails as {@code RETRIES_EXHAUSTED}
 * without a call: the broker would archive it without a result if this delivery did not finish. Once Kafka
 * acknowledged the result, the item goes to {@link Completions} so the intake may settle its offset.
 *
 * <p>Guarantee: each item handed over ends exactly once, whatever fails on the way: completed after
 * its result is acknowledged, or released (its lease ended, or publishing stopped at shutdown): no
 * result, no commit, the next owner processes it. Its lease is told once, and the next item of its
 * key is admitted. Threading: the {@link IntakeSink} methods are called on the intake thread and
 * only post to the event loop; everything else runs on the worker's event loop.
 */
public final class Pipeline implements IntakeSink {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final Context context;
  private final Dispatcher dispatcher;
  private final Results results;
  private final Optional<KeySequencer> sequencer;
  private final Completions completions;
  private final PipelineMetrics metrics;
  private final AtomicInteger pending = new AtomicInteger();
  private final Ledger ledger;
  /** Event ids being called, each with the deliveries of the same id waiting for its outcome. */
  private final Map<String, Call> calling = new HashMap<>();

  private static final class Call {
    final WorkItem caller;
    final ArrayDeque<WorkItem> waiting = new ArrayDeque<>();

    Call(WorkItem caller) {
      this.caller = caller;
    }
  }

  public Pipeline(Context context, Ledger ledger, Dispatcher dispatcher, Results results,
      Optional<KeySequencer> sequencer, Completions completions, PipelineMetrics metrics) {
    this.context = context;
    this.ledger = ledger;
    this.dispatcher = dispatcher;
    this.results = results;
    this.sequencer = sequencer;
    this.completions = completions;
    this.metrics = metrics;
  }

  // --- IntakeSink: intake thread ---

  @Override
  public void accept(List<WorkItem> batch) {
    pending.addAndGet(batch.size());
    context.runOnContext(v -> batch.forEach(this::admit));
  }

  @Override
  public int pending() {
    return pending.get();
  }

  @Override
  public boolean acceptingIntake() {
    return dispatcher.hold().reason() == null && !results.failing();
  }

  @Override
  public void releaseInactive() {
    context.runOnContext(v -> {
      dispatcher.releaseInactive();
      for (Call call : calling.values()) {
        java.util.List<WorkItem> gone = call.waiting.stream().filter(w -> !w.lease().active()).toList();
        call.waiting.removeAll(gone);
        gone.forEach(this::released);
      }
      sequencer.ifPresent(s -> s.removeWaiting(item -> !item.lease().active()).forEach(this::released));
    });
  }

  // --- event loop ---

  private void admit(WorkItem item) {
    if (!item.valid()) {
      close(item, guarded(() -> results.invalid(item)));
    } else if (sequencer.isEmpty() || sequencer.get().admit(item)) {
      dispatch(item);
    }
  }

  /** A valid item whose turn came (in key order when asked): the ledger first, then one call per event id. */
  private void dispatch(WorkItem item) {
    Optional<Ledger.Sent> sent = ledger.lookup(item);
    if (sent.isPresent() && sent.get().offset() == item.offset()) {
      metrics.sendRecovered();
      close(item, guarded(() -> results.recovered(item, sent.get().attempts(), sent.get().httpStatus())));
      return;
    }
    if (sent.isPresent() && sent.get().inWindow()) {
      metrics.duplicateAnswered();
      close(item, guarded(() -> results.duplicate(item, sent.get().offset())));
      return;
    }
    Call call = calling.get(item.eventId());
    if (call != null) {
      call.waiting.addLast(item); // the same event id is being called: wait for its outcome
      return;
    }
    if (item.delivery().last()) {
      // A share group delivers it no more after this: a result now, without a call, rather than none.
      close(item, guarded(() -> results.deliveryLimit(item)));
      return;
    }
    calling.put(item.eventId(), new Call(item));
    close(item, guarded(() -> dispatcher.submit(item)).compose(outcome -> results.outcome(item, outcome)));
  }

  /** A throw while starting a step is that step's failure, not a lost item. */
  private static <T> Future<T> guarded(java.util.function.Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      LOG.error("internal error; the record is released and redone by the next owner of its partition", e);
      return Future.failedFuture(e);
    }
  }

  private void close(WorkItem item, Future<Void> published) {
    published.onComplete(ar -> {
      if (ar.succeeded()) {
        completions.completed(item);
        done(item);
      } else {
        released(item);
      }
    });
  }

  private void released(WorkItem item) {
    metrics.released();
    done(item);
  }

  private void done(WorkItem item) {
    pending.decrementAndGet();
    item.lease().itemDone();
    Call call = item.valid() ? calling.get(item.eventId()) : null;
    if (call != null && call.caller == item) {
      // Its outcome is known: the deliveries that waited go round again (the ledger answers them
      // if it was sent; if it failed, the first becomes the next call).
      calling.remove(item.eventId());
      for (WorkItem next : call.waiting) {
        if (next.lease().active()) {
          dispatch(next);
        } else {
          released(next);
        }
      }
    }
    if (sequencer.isPresent() && item.valid()) {
      WorkItem next = sequencer.get().done(item);
      if (next != null) {
        if (next.lease().active()) {
          dispatch(next);
        } else {
          released(next);
        }
      }
    }
  }
}
