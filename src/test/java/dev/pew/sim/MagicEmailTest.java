package dev.pew.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing of the {@code +tags} in an email's local part. */
class MagicEmailTest {

  @Test
  void readsStatusTimesHangAndSlowTags() {
    assertThat(MagicEmail.of("jane+404@example.com")).isEqualTo(new MagicEmail(404, -1, false, 0));
    assertThat(MagicEmail.of("jane+503x2@example.com")).isEqualTo(new MagicEmail(503, 2, false, 0));
    assertThat(MagicEmail.of("jane+HANG@example.com")).isEqualTo(new MagicEmail(0, 0, true, 0));
    assertThat(MagicEmail.of("jane+slow250+429x1@example.com")).isEqualTo(new MagicEmail(429, 1, false, 250));
  }

  @Test
  void ignoresPlainAddressesUnknownTagsAndTheDomain() {
    assertThat(MagicEmail.of("jane@example.com")).isEqualTo(MagicEmail.NONE);
    assertThat(MagicEmail.of("jane+news@example.com")).isEqualTo(MagicEmail.NONE);
    assertThat(MagicEmail.of("jane+999@example.com")).isEqualTo(MagicEmail.NONE);
    assertThat(MagicEmail.of("jane@x+404.example.com")).isEqualTo(MagicEmail.NONE);
    assertThat(MagicEmail.of(null)).isEqualTo(MagicEmail.NONE);
  }

  @Test
  void limitsCountedStatusToTheFirstCalls() {
    MagicEmail twice = MagicEmail.of("jane+503x2@example.com");

    assertThat(twice.statusForCall(1)).isEqualTo(503);
    assertThat(twice.statusForCall(2)).isEqualTo(503);
    assertThat(twice.statusForCall(3)).isZero();
    assertThat(MagicEmail.of("jane+404@example.com").statusForCall(1000)).isEqualTo(404);
  }
}
