package dev.pew.sim;

import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the simulator saw: every call, how many per email, the answers by status, the calls still
 * waiting for an answer, and how many connections clients opened.
 *
 * <p>{@link #reset()} starts a new generation: counters and history start again, but calls still in
 * flight stay counted as concurrent until they end (the gauge must not go negative or lie) and their
 * answers do not land in the new generation's status counts.
 *
 * <p>Not thread-safe: {@link XcSimulator} guards it with its lock.
 */
final class CallStats {

  private final int historyLimit;
  private final ArrayDeque<Entry> history = new ArrayDeque<>();
  private final Map<String, Integer> callsPerEmail = new HashMap<>();
  private final Map<Integer, Long> statusCounts = new TreeMap<>();
  private final Set<Entry> inFlight = new HashSet<>(); // Entry has identity equality
  private long generation;
  private long totalCalls;
  private long connectionsOpened;
  private int peakConcurrent;

  CallStats(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  /** Records an arriving call; it counts as concurrent until {@link #answer} or {@link #abandon}. */
  Entry arrive(String email, String cname, String authorization, HttpVersion httpVersion, long nowNanos) {
    totalCalls++;
    int callNumber = email == null ? 0 : callsPerEmail.merge(email, 1, Integer::sum);
    Entry entry = new Entry(generation, email, cname, authorization, httpVersion, nowNanos, callNumber);
    if (history.size() == historyLimit) {
      history.removeFirst();
    }
    history.addLast(entry);
    inFlight.add(entry);
    peakConcurrent = Math.max(peakConcurrent, inFlight.size());
    return entry;
  }

  /** Records the answer; false when the call already ended (its client went away). */
  boolean answer(Entry entry, int status, long nowNanos) {
    if (!inFlight.remove(entry)) {
      return false;
    }
    entry.status = status;
    entry.endNanos = nowNanos;
    if (entry.generation == generation) {
      statusCounts.merge(status, 1L, Long::sum);
    }
    return true;
  }

  /** A client connection is ready for HTTP (after the TLS handshake, when TLS is on). */
  void connectionOpened() {
    connectionsOpened++;
  }

  /** The call's connection closed before it was answered. */
  void abandon(Entry entry) {
    inFlight.remove(entry);
  }

  void reset() {
    generation++;
    totalCalls = 0;
    connectionsOpened = 0;
    history.clear();
    callsPerEmail.clear();
    statusCounts.clear();
    peakConcurrent = inFlight.size();
  }

  void resetPeak() {
    peakConcurrent = inFlight.size();
  }

  long totalCalls() {
    return totalCalls;
  }

  long connectionsOpened() {
    return connectionsOpened;
  }

  int callsFor(String email) {
    return callsPerEmail.getOrDefault(email, 0);
  }

  int distinctEmails() {
    return callsPerEmail.size();
  }

  int maxCallsPerEmail() {
    int max = 0;
    for (int count : callsPerEmail.values()) {
      max = Math.max(max, count);
    }
    return max;
  }

  int concurrent() {
    return inFlight.size();
  }

  int peakConcurrent() {
    return peakConcurrent;
  }

  Map<Integer, Long> statusCounts() {
    return Collections.unmodifiableMap(new TreeMap<>(statusCounts));
  }

  List<XcSimulator.Call> calls() {
    List<XcSimulator.Call> calls = new ArrayList<>(history.size());
    for (Entry entry : history) {
      calls.add(entry.toCall());
    }
    return Collections.unmodifiableList(calls);
  }

  /** The body of {@code GET /_sim/stats}: the counters of this generation. */
  JsonObject toJson() {
    JsonObject byStatus = new JsonObject();
    statusCounts.forEach((status, count) -> byStatus.put(String.valueOf(status), count));
    return new JsonObject()
        .put("totalCalls", totalCalls)
        .put("concurrent", concurrent())
        .put("connections", connectionsOpened)
        .put("peakConcurrent", peakConcurrent)
        .put("statusCounts", byStatus)
        .put("distinctEmails", distinctEmails())
        .put("maxCallsPerEmail", maxCallsPerEmail());
  }

  /** One call as it happens; mutable, guarded like its owner. */
  static final class Entry {
    final long generation;
    final String email;
    final String cname;
    final String authorization;
    final HttpVersion httpVersion;
    final long startNanos;
    final int callNumber;
    long endNanos = -1;
    int status = -1;

    private Entry(long generation, String email, String cname, String authorization, HttpVersion httpVersion,
        long startNanos, int callNumber) {
      this.generation = generation;
      this.email = email;
      this.cname = cname;
      this.authorization = authorization;
      this.httpVersion = httpVersion;
      this.startNanos = startNanos;
      this.callNumber = callNumber;
    }

    XcSimulator.Call toCall() {
      return new XcSimulator.Call(email, cname, startNanos, endNanos, status, authorization, httpVersion);
    }
  }
}
