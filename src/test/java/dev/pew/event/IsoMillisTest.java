package dev.pew.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoMillisTest {

  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesExactlyThreeFractionDigitsInUtc() {
    assertThat(IsoMillis.format(Instant.parse("2026-11-27T10:00:00Z"))).isEqualTo("2026-11-27T10:00:00.000Z");
    assertThat(IsoMillis.format(Instant.parse("2026-11-27T10:00:00.310Z"))).isEqualTo("2026-11-27T10:00:00.310Z");
    assertThat(IsoMillis.format(Instant.parse("2026-11-27T10:00:00.999999999Z"))).isEqualTo("2026-11-27T10:00:00.999Z");
  }

  @Test
  void agreesWithTheJdkFormatterOnRandomInstants() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L), random.nextInt(1_000_000_000));
      assertThat(IsoMillis.format(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
    }
  }

  @Test
  void fallsBackToTheJdkFormatterOutsideFourDigitYears() {
    Instant far = Instant.parse("+12026-01-01T00:00:00.005Z");
    assertThat(IsoMillis.format(far)).isEqualTo(REFERENCE.format(far));
  }
}
