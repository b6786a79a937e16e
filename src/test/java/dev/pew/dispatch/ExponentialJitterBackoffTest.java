package dev.pew.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LongSummaryStatistics;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExponentialJitterBackoffTest {

  private static final int SAMPLES = 5_000;

  @ParameterizedTest(name = "retry {0} lands in [10, {1}]")
  @CsvSource({"1, 20", "2, 40", "3, 80", "4, 160", "5, 320"})
  void delayStaysInsideTheDoublingWindowAndReachesBothEnds(int retry, long expectedCap) {
    // Windows of at most 311 values, so 5000 draws reach both ends (seeded: always, and with any
    // seed the chance of missing one is below 1e-6).
    var backoff = new ExponentialJitterBackoff(10, 1_000_000, new Random(42));

    assertThat(backoff.cap(retry)).isEqualTo(expectedCap);
    LongSummaryStatistics stats = samples(backoff, retry).summaryStatistics();
    assertThat(stats.getMin()).isEqualTo(10);
    assertThat(stats.getMax()).isEqualTo(expectedCap);
  }

  @Test
  void bothEndsOfASmallWindowAreDrawn() {
    // [10, 20]: 11 values, so 5000 draws hit each end with near certainty (and, seeded, always).
    var backoff = new ExponentialJitterBackoff(10, 1_000, new Random(7));

    assertThat(samples(backoff, 1).distinct().count()).isEqualTo(11);
  }

  @Test
  void capSaturatesAtMax() {
    var backoff = new ExponentialJitterBackoff(500, 30_000, new Random(1));

    assertThat(backoff.cap(5)).isEqualTo(16_000);
    assertThat(backoff.cap(6)).isEqualTo(30_000); // 32 000 would pass max
    assertThat(backoff.cap(7)).isEqualTo(30_000);
    assertThat(samples(backoff, 10)).allSatisfy(d -> assertThat(d).isBetween(500L, 30_000L));
  }

  @Test
  void saturatedWindowStillReachesMax() {
    var backoff = new ExponentialJitterBackoff(10, 25, new Random(9));

    assertThat(backoff.cap(2)).isEqualTo(25);
    LongSummaryStatistics stats = samples(backoff, 20).summaryStatistics();
    assertThat(stats.getMin()).isEqualTo(10);
    assertThat(stats.getMax()).isEqualTo(25);
  }

  @Test
  void equalBoundsGiveAFixedDelay() {
    var backoff = new ExponentialJitterBackoff(250, 250, new Random(3));

    assertThat(samples(backoff, 1).distinct()).containsExactly(250L);
    assertThat(samples(backoff, 40).distinct()).containsExactly(250L);
  }

  @ParameterizedTest(name = "retry {0}")
  @ValueSource(ints = {62, 63, 64, 65, 1000, Integer.MAX_VALUE})
  void largeRetryNumbersDoNotOverflow(int retry) {
    var backoff = new ExponentialJitterBackoff(500, 30_000, new Random(5));

    assertThat(backoff.cap(retry)).isEqualTo(30_000);
    assertThat(samples(backoff, retry)).allSatisfy(d -> assertThat(d).isBetween(500L, 30_000L));
  }

  @Test
  void widestPossibleWindowDoesNotOverflow() {
    var backoff = new ExponentialJitterBackoff(1, Long.MAX_VALUE, new Random(11));

    assertThat(backoff.cap(62)).isEqualTo(1L << 62);
    assertThat(backoff.cap(63)).isEqualTo(Long.MAX_VALUE);
    assertThat(backoff.cap(1000)).isEqualTo(Long.MAX_VALUE);
    assertThat(samples(backoff, 1000)).allSatisfy(d -> assertThat(d).isPositive());
  }

  @Test
  void initialCloseToMaxDoesNotOverflowWhenDoubled() {
    long initial = Long.MAX_VALUE / 2 + 1;
    var backoff = new ExponentialJitterBackoff(initial, Long.MAX_VALUE, new Random(13));

    assertThat(backoff.cap(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(samples(backoff, 1)).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(initial));
  }

  @ParameterizedTest(name = "retry {0}")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsRetryNumbersBelowOne(int retry) {
    var backoff = ExponentialJitterBackoff.of(500, 30_000);

    assertThatThrownBy(() -> backoff.delayMillis(retry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry must be >= 1");
    assertThatThrownBy(() -> backoff.cap(retry)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsBadBounds() {
    assertThatThrownBy(() -> ExponentialJitterBackoff.of(0, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialMs");
    assertThatThrownBy(() -> ExponentialJitterBackoff.of(-5, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialMs");
    assertThatThrownBy(() -> ExponentialJitterBackoff.of(1000, 999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMs");
    assertThatThrownBy(() -> new ExponentialJitterBackoff(1, 2, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("random");
  }

  @Test
  void sharedInstanceIsUsableFromManyThreads() throws Exception {
    var backoff = ExponentialJitterBackoff.of(100, 10_000);

    var futures =
        IntStream.range(0, 4)
            .mapToObj(
                t ->
                    CompletableFuture.supplyAsync(
                        () -> samples(backoff, 3).allMatch(d -> d >= 100 && d <= 800)))
            .toList();
    for (var f : futures) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static LongStream samples(Backoff backoff, int retry) {
    return IntStream.range(0, SAMPLES).mapToLong(i -> backoff.delayMillis(retry));
  }
}
