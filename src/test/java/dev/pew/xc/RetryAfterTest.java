package dev.pew.xc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pew.testing.ManualClock;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  /** One minute before the RFC's example date, Wed, 21 Oct 2015 07:28:00 GMT. */
  private final ManualClock clock = new ManualClock(Instant.parse("2015-10-21T07:27:00Z"));

  @ParameterizedTest(name = "\"{0}\" -> {1} ms")
  @CsvSource(
      delimiter = '|',
      value = {"120|120000", "0|0", "1|1000", "007|7000", "'  5 '|5000", "86400|86400000"})
  void readsDeltaSeconds(String value, long expectedMillis) {
    assertThat(RetryAfter.millis(value, clock)).hasValue(expectedMillis);
  }

  @Test
  void deltaSecondsDoNotDependOnTheClock() {
    clock.advanceMillis(123_456);

    assertThat(RetryAfter.millis("3", clock)).hasValue(3000);
  }

  @Test
  void capsHugeDeltaSecondsInsteadOfOverflowing() {
    long cap = RetryAfter.MAX_DELTA_SECONDS * 1000;

    assertThat(RetryAfter.millis("99999999999999999999999999", clock)).hasValue(cap);
    assertThat(RetryAfter.millis("2147483649", clock)).hasValue(cap);
    assertThat(RetryAfter.millis("2147483647", clock)).hasValue(2_147_483_647_000L);
  }

  @Test
  void readsAnImfFixdateInTheFuture() {
    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:28:00 GMT", clock)).hasValue(60_000);
  }

  @Test
  void countsFromTheClocksMillisecondNotItsSecond() {
    clock.advanceMillis(250);

    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:28:00 GMT", clock)).hasValue(59_750);
  }

  @Test
  void followsTheClockAsItMoves() {
    clock.advanceMillis(45_000);

    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:28:00 GMT", clock)).hasValue(15_000);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Wed, 21 Oct 2015 07:27:00 GMT", // exactly now
        "Wed, 21 Oct 2015 07:26:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT"
      })
  void aDateNotInTheFutureMeansNoWait(String value) {
    assertThat(RetryAfter.millis(value, clock)).hasValue(0);
  }

  @Test
  void readsTheObsoleteRfc850Form() {
    assertThat(RetryAfter.millis("Wednesday, 21-Oct-15 07:28:00 GMT", clock)).hasValue(60_000);
  }

  @Test
  void readsATwoDigitYearMoreThanFiftyYearsAheadAsThePast() {
    // 2015 + 50 = 2065 is still ahead; 66 would be 2066, so it is 1966.
    assertThat(RetryAfter.millis("Thursday, 21-Oct-65 07:28:00 GMT", clock))
        .hasValue(Instant.parse("2065-10-21T07:28:00Z").toEpochMilli() - clock.millis());
    assertThat(RetryAfter.millis("Friday, 21-Oct-66 07:28:00 GMT", clock)).hasValue(0);
  }

  @Test
  void readsTheAsctimeForm() {
    assertThat(RetryAfter.millis("Wed Oct 21 07:28:00 2015", clock)).hasValue(60_000);
  }

  @Test
  void readsAnAsctimeDayPaddedWithASpace() {
    clock.set(Instant.parse("2015-10-01T07:27:00Z"));

    assertThat(RetryAfter.millis("Thu Oct  1 07:28:00 2015", clock)).hasValue(60_000);
  }

  @Test
  void acceptsAWrongDayNameBecauseTheDateIsWhatCounts() {
    assertThat(RetryAfter.millis("Mon, 21 Oct 2015 07:28:00 GMT", clock)).hasValue(60_000);
  }

  @Test
  void acceptsTheImfFixdateWithoutADayNameAndWithSurroundingSpace() {
    assertThat(RetryAfter.millis("  21 Oct 2015 07:28:00 GMT\t", clock)).hasValue(60_000);
  }

  @Test
  void readsALeapSecondAsTheNextMinute() {
    clock.set(Instant.parse("2016-12-31T23:59:00Z"));

    assertThat(RetryAfter.millis("Sat, 31 Dec 2016 23:59:60 GMT", clock)).hasValue(60_000);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "-1",
        "+5",
        "1.5",
        "0.0",
        "1e3",
        "12abc",
        "soon",
        "120 seconds",
        "Wed, 21 Oct 2015 07:28:00 PST",
        "Wed, 21 Oct 2015 07:28:00",
        "Wed, 21 Foo 2015 07:28:00 GMT",
        "Wed, 32 Oct 2015 07:28:00 GMT",
        "Mon, 30 Feb 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 24:00:00 GMT",
        "Wed, 21 Oct 2015 07:61:00 GMT",
        "2015-10-21T07:28:00Z",
        "Wednesday, 21-Oct-2015 07:28:00 GMT",
        "Wed Oct 21 07:28:00 15"
      })
  void givesNothingForValuesThatAreNotARetryAfter(String value) {
    assertThat(RetryAfter.millis(value, clock)).isEqualTo(OptionalLong.empty());
  }
}
