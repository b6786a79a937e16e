package dev.pew.xc;

import dev.pew.dispatch.Verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.config.OnAuthFailure;
import dev.pew.event.ErrorCategory;
import dev.pew.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The contract's outcome table, row by row. */
class OutcomeClassifierTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final OutcomeClassifier hold = new OutcomeClassifier(OnAuthFailure.HOLD, 60_000, clock);
  private final OutcomeClassifier fail = new OutcomeClassifier(OnAuthFailure.FAIL, 60_000, clock);

  private static XcResponse status(int s, String retryAfter) {
    return XcResponse.status(s, retryAfter, 1);
  }

  @ParameterizedTest
  @CsvSource({"200", "201", "202", "204", "299"})
  void sendsOnAny2xx(int s) {
    assertThat(hold.classify(status(s, null))).isEqualTo(new Verdict.Sent(s));
  }

  @ParameterizedTest
  @CsvSource({
      "404, NOT_FOUND", "409, CONFLICT", "400, REJECTED", "405, REJECTED", "418, REJECTED", "422, REJECTED",
      "301, REJECTED", "302, REJECTED",
  })
  void failsAtOnceOnDefinitiveRefusals(int s, ErrorCategory category) {
    Verdict v = hold.classify(status(s, null));
    assertThat(v).isInstanceOf(Verdict.Failed.class);
    assertThat(((Verdict.Failed) v).category()).isEqualTo(category);
    assertThat(v.httpStatus()).isEqualTo(s);
  }

  @ParameterizedTest
  @CsvSource({"500", "502", "503", "504", "507", "599"})
  void retriesServerErrors(int s) {
    Verdict.Retry r = (Verdict.Retry) hold.classify(status(s, null));
    assertThat(r.throttled()).isFalse();
    assertThat(r.retryAfterMillis()).isEqualTo(-1);
  }

  @Test
  void retriesTimeoutsAndConnectionErrorsWithoutAStatus() {
    Verdict v = hold.classify(XcResponse.failure(XcResponse.Failure.TIMEOUT, "no answer within 10 ms", 1));
    assertThat(v).isInstanceOf(Verdict.Retry.class);
    assertThat(v.httpStatus()).isNull();
    assertThat(hold.classify(XcResponse.failure(XcResponse.Failure.CONNECTION, "refused", 1))).isInstanceOf(Verdict.Retry.class);
  }

  @Test
  void throttlesOn429HonouringRetryAfterInSecondsOrAsADate() {
    Verdict.Retry seconds = (Verdict.Retry) hold.classify(status(429, "2"));
    assertThat(seconds.throttled()).isTrue();
    assertThat(seconds.retryAfterMillis()).isEqualTo(2000);
    Verdict.Retry date = (Verdict.Retry) hold.classify(status(429, "Fri, 27 Nov 2026 10:00:05 GMT"));
    assertThat(date.retryAfterMillis()).isEqualTo(5000);
    Verdict.Retry none = (Verdict.Retry) hold.classify(status(429, null));
    assertThat(none.retryAfterMillis()).isEqualTo(-1);
  }

  @Test
  void capsAHugeRetryAfter() {
    Verdict.Retry r = (Verdict.Retry) hold.classify(status(429, "86400"));
    assertThat(r.retryAfterMillis()).isEqualTo(60_000);
  }

  @Test
  void holdsOnARefusedCredentialByDefaultAndFailsWhenAskedTo() {
    assertThat(hold.classify(status(401, null))).isInstanceOf(Verdict.CredentialRefused.class);
    assertThat(hold.classify(status(403, null))).isInstanceOf(Verdict.CredentialRefused.class);
    assertThat(((Verdict.Failed) fail.classify(status(401, null))).category()).isEqualTo(ErrorCategory.UNAUTHORIZED);
    assertThat(((Verdict.Failed) fail.classify(status(403, null))).category()).isEqualTo(ErrorCategory.FORBIDDEN);
  }
}
