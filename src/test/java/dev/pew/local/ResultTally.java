package dev.pew.local;

import dev.pew.event.ResultEvents;
import dev.pew.event.ResultEvent;
import dev.pew.event.Status;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Matches result events against the outcomes the sample batch expects: how many inputs have a
 * result, which have more than one, which ended differently than the contract says, plus the
 * timing needed for throughput and latency. Email addresses are never kept.
 *
 * <p>Thread-safe: a watcher thread adds while the main thread reads counts.
 */
final class ResultTally {

  private final Map<String, String> expected;
  private final java.util.Set<String> redelivered;
  private int answeredWithoutCall;
  private final Map<String, Integer> seen = new HashMap<>();
  private final Map<String, Integer> byOutcome = new TreeMap<>();
  private long[] durations = new long[256];
  private int results;
  /** Expected event ids with at least one result. */
  private int found;
  private int sent;
  private int sentAfterRetry;
  private int unexpectedOutcomes;
  private int unknownIds;
  private int unreadable;
  private int deadLetters;
  private Instant firstReceived;
  private Instant lastCompleted;

  ResultTally(Map<String, String> expected) {
    this(expected, java.util.Set.of());
  }

  /** @param redelivered event ids delivered twice: their second result is a duplicate answered without a call */
  ResultTally(Map<String, String> expected, java.util.Set<String> redelivered) {
    this.expected = Map.copyOf(expected);
    this.redelivered = java.util.Set.copyOf(redelivered);
  }

  /** Counts one record of a result topic. */
  synchronized void add(byte[] value) {
    ResultEvent event;
    try {
      event = ResultEvents.fromJson(value);
    } catch (RuntimeException e) {
      unreadable++;
      return;
    }
    results++;
    if (event.duplicateOf() != null && redelivered.contains(event.eventId()) && event.attempts() == 0) {
      answeredWithoutCall++;
      sent++;
      byOutcome.merge("SENT", 1, Integer::sum);
      return;
    }
    String outcome = event.status() == Status.SENT ? "SENT"
        : event.error().map(e -> e.category().name()).orElse("FAILED");
    byOutcome.merge(outcome, 1, Integer::sum);
    if (event.status() == Status.SENT) {
      sent++;
      sentAfterRetry += event.attempts() > 1 ? 1 : 0;
    }
    String want = expected.get(event.eventId());
    if (want == null) {
      unknownIds++;
    } else if (!want.equals(outcome)) {
      unexpectedOutcomes++;
    }
    if (seen.merge(event.eventId(), 1, Integer::sum) == 1 && want != null) {
      found++;
    }
    if (results > durations.length) {
      durations = Arrays.copyOf(durations, durations.length * 2);
    }
    durations[results - 1] = event.durationMs();
    firstReceived = firstReceived == null || event.receivedAt().isBefore(firstReceived) ? event.receivedAt() : firstReceived;
    lastCompleted = lastCompleted == null || event.completedAt().isAfter(lastCompleted) ? event.completedAt() : lastCompleted;
  }

  /** Counts one record of the dead-letter topic. */
  synchronized void addDeadLetter() {
    deadLetters++;
  }

  /** Cheap numbers for the progress line and the wait: results, sent, failed, missing, dead letters. */
  synchronized Progress progress() {
    return new Progress(results, sent, results - sent, missing() + redelivered.size() - answeredWithoutCall, deadLetters);
  }

  synchronized Counts counts() {
    int duplicates = 0;
    for (int n : seen.values()) {
      duplicates += n - 1;
    }
    return new Counts(expected.size(), results, sent, sentAfterRetry, new TreeMap<>(byOutcome), missing(),
        duplicates, unexpectedOutcomes, unknownIds, unreadable, deadLetters,
        Arrays.copyOf(durations, results), firstReceived, lastCompleted, redelivered.size(), answeredWithoutCall);
  }

  private int missing() {
    return expected.size() - found;
  }

  /** What the progress line shows. */
  record Progress(int results, int sent, int failed, int missing, int deadLetters) {}

  /**
   * Everything the summary needs.
   *
   * @param byOutcome {@code SENT} and each error category, with counts
   * @param durationsMs each result's {@code durationMs}, unsorted
   */
  record Counts(int expected, int results, int sent, int sentAfterRetry, Map<String, Integer> byOutcome,
      int missing, int duplicates, int unexpectedOutcomes, int unknownIds, int unreadable, int deadLetters,
      long[] durationsMs, Instant firstReceived, Instant lastCompleted, int redeliveries, int answeredWithoutCall) {

    int failed() {
      return results - sent;
    }
  }
}
