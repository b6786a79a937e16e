package dev.pew.results;

/**
 * Where results go: {@code TOPIC_SENT}, {@code TOPIC_FAILED} and the optional {@code
 * TOPIC_DEAD_LETTER} (null when off). Immutable.
 */
public record ResultTopics(String sent, String failed, String deadLetter) {

  public boolean deadLetterOn() {
    return deadLetter != null;
  }
}
