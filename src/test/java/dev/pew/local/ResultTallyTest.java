package dev.pew.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTallyTest {

  private final ResultTally tally = new ResultTally(Map.of("e1", "SENT", "e2", "NOT_FOUND", "e3", "SENT"));

  @Test
  void countsMissingDuplicateAndUnexpectedResults() {
    tally.add(sent("e1", 1, "10:00:00.100", "10:00:00.200"));
    tally.add(sent("e1", 1, "10:00:00.100", "10:00:00.300"));
    tally.add(sent("e2", 1, "10:00:00.150", "10:00:01.100"));
    tally.add(sent("zz", 1, "10:00:00.150", "10:00:01.100"));
    tally.add("not json".getBytes(StandardCharsets.UTF_8));

    ResultTally.Counts c = tally.counts();
    assertThat(c.results()).isEqualTo(4);
    assertThat(c.missing()).isEqualTo(1);
    assertThat(c.duplicates()).isEqualTo(1);
    assertThat(c.unexpectedOutcomes()).isEqualTo(1);
    assertThat(c.unknownIds()).isEqualTo(1);
    assertThat(c.unreadable()).isEqualTo(1);
    assertThat(tally.progress().missing()).isEqualTo(1);
  }

  @Test
  void keepsRetriesCategoriesAndTheTimeSpan() {
    tally.add(sent("e1", 3, "10:00:00.100", "10:00:00.200"));
    tally.add(failed("e2", "NOT_FOUND", "10:00:00.050", "10:00:00.900"));
    tally.add(sent("e3", 1, "10:00:00.300", "10:00:00.400"));
    tally.addDeadLetter();

    ResultTally.Counts c = tally.counts();
    assertThat(c.missing()).isZero();
    assertThat(c.unexpectedOutcomes()).isZero();
    assertThat(c.sentAfterRetry()).isEqualTo(1);
    assertThat(c.byOutcome()).containsEntry("SENT", 2).containsEntry("NOT_FOUND", 1);
    assertThat(c.failed()).isEqualTo(1);
    assertThat(c.deadLetters()).isEqualTo(1);
    assertThat(c.durationsMs()).containsExactly(100, 850, 100);
    assertThat(c.firstReceived().toString()).isEqualTo("2026-11-27T10:00:00.050Z");
    assertThat(c.lastCompleted().toString()).isEqualTo("2026-11-27T10:00:00.900Z");
  }

  private static byte[] sent(String id, int attempts, String received, String completed) {
    return json(id, "SENT", attempts, 200, "null", received, completed);
  }

  private static byte[] failed(String id, String category, String received, String completed) {
    return json(id, "FAILED", 1, 404,
        "{\"category\":\"" + category + "\",\"message\":\"HTTP 404\",\"retryable\":false}", received, completed);
  }

  private static byte[] json(String id, String status, int attempts, int http, String error, String received, String completed) {
    long duration = java.time.Duration.between(java.time.Instant.parse("2026-11-27T" + received + "Z"),
        java.time.Instant.parse("2026-11-27T" + completed + "Z")).toMillis();
    return ("{\"eventId\":\"" + id + "\",\"status\":\"" + status + "\",\"cname\":\"acme\",\"email\":\"a.b@example.com\","
        + "\"attempts\":" + attempts + ",\"httpStatus\":" + http + ",\"error\":" + error + ","
        + "\"source\":{\"topic\":\"in\",\"partition\":0,\"offset\":1},"
        + "\"receivedAt\":\"2026-11-27T" + received + "Z\",\"completedAt\":\"2026-11-27T" + completed + "Z\","
        + "\"durationMs\":" + duration + "}").getBytes(StandardCharsets.UTF_8);
  }
}
