package dev.pew.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SendTableTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final long DAY = 86_400_000L;

  private static long fp(String id) {
    return Fingerprint.of(id.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsWhatWasPutWithItsOffsetAttemptsAndStatus() {
    SendTable t = new SendTable(10);
    t.put(fp("a"), 42, 3, 201, NOW, NOW - DAY);

    int slot = t.find(fp("a"), NOW - DAY);
    assertThat(slot).isNotNegative();
    assertThat(t.offsetAt(slot)).isEqualTo(42);
    assertThat(t.attemptsAt(slot)).isEqualTo(3);
    assertThat(t.httpStatusAt(slot)).isEqualTo(201);
    assertThat(t.sentAtMillisAt(slot)).isEqualTo(NOW / 1000 * 1000);
    assertThat(t.find(fp("b"), NOW - DAY)).isNegative();
  }

  @Test
  void aNewerSendOfTheSameIdReplacesTheOlderOneButNotTheOtherWayRound() {
    SendTable t = new SendTable(10);
    t.put(fp("a"), 1, 1, 200, NOW - 60_000, NOW - DAY);
    t.put(fp("a"), 7, 1, 200, NOW, NOW - DAY);
    t.put(fp("a"), 3, 1, 200, NOW - 30_000, NOW - DAY);

    assertThat(t.offsetAt(t.find(fp("a"), NOW - DAY))).isEqualTo(7);
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void anEntryOlderThanTheWindowIsNotFoundAndPruningDropsIt() {
    SendTable t = new SendTable(10);
    t.put(fp("old"), 1, 1, 200, NOW - 2 * DAY, NOW - 3 * DAY);
    t.put(fp("new"), 2, 1, 200, NOW, NOW - 3 * DAY);

    assertThat(t.find(fp("old"), NOW - DAY)).isNegative();
    assertThat(t.find(fp("old"), NOW - 3 * DAY)).isNotNegative();
    t.prune(NOW - DAY);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.find(fp("old"), NOW - 3 * DAY)).isNegative();
    assertThat(t.find(fp("new"), NOW - DAY)).isNotNegative();
  }

  @Test
  void growsPastItsExpectedSizeAndKeepsEveryEntry() {
    SendTable t = new SendTable(16);
    for (int i = 0; i < 100_000; i++) {
      t.put(fp("id-" + i), i, 1, 200, NOW, NOW - DAY);
    }
    assertThat(t.size()).isEqualTo(100_000);
    Random random = new Random(7);
    for (int n = 0; n < 1000; n++) {
      int i = random.nextInt(100_000);
      assertThat(t.offsetAt(t.find(fp("id-" + i), NOW - DAY))).isEqualTo(i);
    }
  }

  @Test
  void growingDropsExpiredEntriesInsteadOfKeepingThem() {
    SendTable t = new SendTable(16);
    for (int i = 0; i < 1000; i++) {
      t.put(fp("stale-" + i), i, 1, 200, NOW - 2 * DAY, NOW - 3 * DAY);
    }
    for (int i = 0; i < 1000; i++) {
      t.put(fp("fresh-" + i), i, 1, 200, NOW, NOW - DAY);
    }
    assertThat(t.size()).isLessThan(2000);
    assertThat(t.find(fp("fresh-999"), NOW - DAY)).isNotNegative();
  }

  @Test
  void offsetsUpToTwoToTheFortyEightKeepTheirValue() {
    SendTable t = new SendTable(4);
    long big = (1L << 48) - 5;
    t.put(fp("x"), big, 300, 299, NOW, NOW - DAY);
    int slot = t.find(fp("x"), NOW - DAY);
    assertThat(t.offsetAt(slot)).isEqualTo(big);
    assertThat(t.attemptsAt(slot)).isEqualTo(255);
    assertThat(t.httpStatusAt(slot)).isEqualTo(299);
  }
}
