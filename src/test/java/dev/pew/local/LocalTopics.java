package dev.pew.local;

/**
 * The topics of a local run: the contract's default names, plus a dead-letter topic so failed
 * inputs are copied as in production. Immutable and thread-safe.
 */
record LocalTopics(String input, String sent, String failed, String deadLetter) {

  /** Enough partitions that the worker's intake spreads over several, as with a real topic. */
  static final int INPUT_PARTITIONS = 6;

  static LocalTopics defaults() {
    return new LocalTopics("onboarding-events", "password-email-sent", "password-email-failed",
        "password-email-dead-letter");
  }
}
