package dev.pew.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultTopicsTest {

  @Test
  void allNamesTheDeadLetterTopicOnlyWhenItIsOn() {
    assertThat(new ResultTopics("sent", "failed", "dlq").all()).containsExactly("sent", "failed", "dlq");
    assertThat(new ResultTopics("sent", "failed", null).all()).containsExactly("sent", "failed");
  }
}
