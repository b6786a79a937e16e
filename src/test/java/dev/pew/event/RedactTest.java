package dev.pew.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "hello@example.com | h***@example.com",
      "Hello.World+tag@mail.example.co.uk | H***@mail.example.co.uk",
      "ab@x.io | a***@x.io",
      "h@example.com | ***@example.com",
      "a@b@example.com | a***@example.com",
      "hello@ | h***@",
      "\u00fcser@example.com | \u00fc***@example.com"})
  void keepsFirstCharacterAndDomainOnly(String email, String masked) {
    assertThat(Redact.email(email)).isEqualTo(masked);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hello", "@example.com", "no-at-sign.example.com"})
  void masksEverythingWithoutAnAtOrLocalPart(String email) {
    assertThat(Redact.email(email)).isEqualTo("***");
  }

  @Test
  void saysNullForNull() {
    assertThat(Redact.email(null)).isEqualTo("null");
  }

  @Test
  void neverShowsAControlCharacterOrWhitespaceAsTheFirstCharacter() {
    assertThat(Redact.email("\nforged@example.com")).isEqualTo("***@example.com");
    assertThat(Redact.email(" hello@example.com")).isEqualTo("***@example.com");
  }

  @Test
  void replacesControlCharactersInTheDomainSoALogLineCannotBeForged() {
    assertThat(Redact.email("hello@example.com\nINFO fake")).isEqualTo("h***@example.com?INFO fake");
  }

  @Test
  void keepsAWholeSupplementaryCharacter() {
    assertThat(Redact.email("\uD83D\uDE00smile@example.com")).isEqualTo("\uD83D\uDE00***@example.com");
  }

  @Test
  void shortensAVeryLongDomain() {
    String masked = Redact.email("hello@" + "d".repeat(10_000) + ".com");

    assertThat(masked).isEqualTo("h***@" + "d".repeat(61) + "...");
  }

  @Test
  void keepsADomainOfExactly64Characters() {
    String domain = "d".repeat(60) + ".com";

    assertThat(Redact.email("hello@" + domain)).isEqualTo("h***@" + domain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello@example.com", "ab@x.io", "h@example.com", "x@y"})
  void neverReturnsTheWholeAddress(String email) {
    assertThat(Redact.email(email)).isNotEqualTo(email).doesNotContain(email.substring(0, email.indexOf('@') + 1));
  }

  @Test
  void hidesSecretsButSaysWhetherTheyAreSet() {
    assertThat(Redact.secret("APIToken abc123")).isEqualTo("***");
    assertThat(Redact.secret("")).isEqualTo("***");
    assertThat(Redact.secret(null)).isEqualTo("(unset)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "signup-8812                      | signup-8812",
      "jane@example.com                 | j***@example.com",
      "signup-jane@example.com          | s***@example.com",
      "id=<jane@example.com>;x          | id=<j***@example.com>;x",
      "a@b.io and bob@c.io              | ***@b.io and b***@c.io",
  })
  void masksEveryAddressInsideFreeText(String text, String masked) {
    assertThat(Redact.emailsIn(text)).isEqualTo(masked);
  }
}
