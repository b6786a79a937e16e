package dev.pew.local;

/**
 * The shapes of sample input record a local run produces, how many of each in a batch, and the
 * outcome the contract promises for each. Immutable and thread-safe.
 */
enum SampleKind {
  /** A plain signup: SENT on the first call. */
  VALID("", "SENT", 0, 0, 1),
  /** The simulator answers 503 twice, then 200: SENT after two backoffs. */
  RETRY_503("+503x2", "SENT", 0.003, 0, 3),
  /** The simulator answers 429 with Retry-After: 1 once, then 200: SENT after the whole worker paused. */
  RETRY_429("+429x1", "SENT", 0.001, 0, 2),
  NOT_FOUND("+404", "NOT_FOUND", 0.01, 0, 1),
  CONFLICT("+409", "CONFLICT", 0.005, 0, 1),
  REJECTED("+400", "REJECTED", 0.005, 0, 1),
  /** A value that is not JSON at all: no call. */
  NOT_JSON(null, "INVALID_EVENT", 0, 2, 0),
  /** A JSON object without {@code email}: no call. */
  MISSING_EMAIL(null, "INVALID_EVENT", 0, 2, 0),
  /** An {@code email} that is not a plausible address: no call. */
  BAD_EMAIL(null, "INVALID_EVENT", 0, 2, 0),
  /** A null value: skipped and committed, no result at all. */
  TOMBSTONE(null, null, 0, 2, 0);

  /** Tag the simulator reads in the email's local part, null when the record carries no usable email. */
  final String magicTag;
  /** {@code SENT} or the failure's error category; null when the contract promises no result. */
  final String expectedOutcome;
  private final double fraction;
  private final int fixedCount;
  /** API calls the contract's retry rules make for one record of this kind. */
  final int expectedCalls;

  SampleKind(String magicTag, String expectedOutcome, double fraction, int fixedCount, int expectedCalls) {
    this.magicTag = magicTag;
    this.expectedOutcome = expectedOutcome;
    this.fraction = fraction;
    this.fixedCount = fixedCount;
    this.expectedCalls = expectedCalls;
  }

  /** How many records of this kind a batch of {@code total} holds; VALID takes what the others leave. */
  int countIn(int total) {
    if (this == VALID) {
      int others = 0;
      for (SampleKind k : values()) {
        others += k == VALID ? 0 : k.countIn(total);
      }
      return total - others;
    }
    return fixedCount > 0 ? fixedCount : Math.max(1, (int) Math.round(total * fraction));
  }
}
