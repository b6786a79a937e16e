package dev.pew.results;

import java.util.List;

/**
 * Where results go: {@code TOPIC_SENT}, {@code TOPIC_FAILED} and the optional {@code
 * TOPIC_DEAD_LETTER} (null when off). Immutable.
 */
public record ResultTopics(String sent, String failed, String deadLetter) {

  public boolean deadLetterOn() {
    return deadLetter != null;
  }

  /** Every topic results may go to: sent, failed, and the dead-letter topic when it is on. */
  public List<String> all() {
    return deadLetterOn() ? List.of(sent, failed, deadLetter) : List.of(sent, failed);
  }
}
