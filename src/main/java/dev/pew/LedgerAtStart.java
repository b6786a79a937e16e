package dev.pew;

import dev.pew.ledger.LedgerOptions;
import dev.pew.ledger.LedgerTopic;
import dev.pew.results.DirectPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger topic through the worker's start. Three steps:
 * <ul>
 *   <li>It is checked once (created when missing), on a worker thread, while the other start-up
 *       steps run.</li>
 *   <li>Once the check knows the topic exists, the ledger producer fetches its metadata ahead.</li>
 *   <li>The first restore (or the share follower's first read) waits for {@link #partitions()}. That
 *       answers after the ledger topic's metadata and the result topics' ({@code resultsWarm}) are
 *       fetched, so the first call's sends find both. Both producers never wait on the event loop
 *       ({@code max.block.ms=0}), so a send that lacked a topic's metadata would be refused and retried.</li>
 * </ul>
 *
 * <p>Guarantee: a ledger topic the worker may not create fails {@link #checked()}, and with it the
 * start (exit code 2). When Kafka is unreachable at start, the check answers -1, and {@link #partitions()}
 * checks again itself. Each metadata fetch gives up after 10 s and leaves its topic to its first send.
 *
 * <p>Threading: made on the verticle's event loop. {@link #partitions()} blocks, so call it on the
 * restore's or the follower's own thread.
 */
final class LedgerAtStart {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerAtStart.class);

  private final Admin admin;
  private final LedgerOptions options;
  private final String inputTopic;
  private final DirectPublisher publisher;
  private final Future<Integer> checked;
  private final CompletableFuture<Integer> ready;

  LedgerAtStart(Vertx vertx, Admin admin, LedgerOptions options, String inputTopic, DirectPublisher publisher,
      Future<Void> resultsWarm) {
    this.admin = admin;
    this.options = options;
    this.inputTopic = inputTopic;
    this.publisher = publisher;
    this.checked = vertx.executeBlocking(this::check);
    this.ready = checked.compose(partitions -> (partitions > 0 ? warm() : Future.<Void>succeededFuture())
        .compose(v -> resultsWarm).map(partitions)).toCompletionStage().toCompletableFuture();
  }

  /** The check made at start: the partition count, -1 when Kafka was unreachable; failed when the topic may not be made. */
  Future<Integer> checked() {
    return checked;
  }

  /** The ledger topic's partition count once its metadata and the result topics' are fetched; blocks. */
  int partitions() {
    int known = ready.join();
    if (known > 0) {
      return known;
    }
    int found = ensure();
    warm().toCompletionStage().toCompletableFuture().join();
    return found;
  }

  /** On a worker thread. A topic the worker may not create throws, and stops start-up (exit code 2). */
  private int check() {
    try {
      return ensure();
    } catch (IllegalStateException e) {
      LOG.warn("ledger: topic {} could not be checked at start ({}); the first restore checks it", options.topic(),
          e.getMessage());
      return -1;
    }
  }

  private int ensure() {
    return LedgerTopic.ensure(admin, options.topic(), inputTopic, options.keepMs());
  }

  private Future<Void> warm() {
    return publisher.warm(List.of(options.topic()));
  }
}
