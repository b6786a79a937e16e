package dev.pew.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Two members starting together both find the ledger topic missing; the second one's create answers
 * "exists" while its describe can still answer "unknown" (a CI run failed a member's start with
 * {@code NoSuchElementException} there, exit code 1).
 */
class LedgerTopicTest {

  private static TopicDescription described(int partitions) {
    Node node = new Node(1, "127.0.0.1", 9092);
    List<TopicPartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      infos.add(new TopicPartitionInfo(p, node, List.of(node), List.of(node)));
    }
    return new TopicDescription("ledger", false, infos);
  }

  @Test
  void aTopicAnotherInstanceJustCreatedIsDescribedAgainUntilItIsVisible() {
    Queue<Optional<TopicDescription>> answers = new ArrayDeque<>(List.of(Optional.empty(), Optional.empty(), Optional.of(described(6))));
    int[] asked = {0};

    int partitions = LedgerTopic.partitionsOnceVisible(() -> {
      asked[0]++;
      return answers.poll();
    }, "ledger", 50, 0);

    assertThat(partitions).isEqualTo(6);
    assertThat(asked[0]).isEqualTo(3);
  }

  @Test
  void aTopicThatStaysInvisibleIsAnIllegalStateTheStartTolerates() {
    int[] asked = {0};

    assertThatThrownBy(() -> LedgerTopic.partitionsOnceVisible(() -> {
      asked[0]++;
      return Optional.empty();
    }, "ledger", 5, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("ledger");
    assertThat(asked[0]).isEqualTo(5);
  }
}
