package dev.pew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchEventsTest {

  @Test
  void findsTheEventIndexInItsKeyAndEmail() {
    assertThat(BenchEvents.indexOf(BenchEvents.key(0))).isZero();
    assertThat(BenchEvents.indexOf(BenchEvents.key(1_234_567))).isEqualTo(1_234_567);
    assertThat(BenchEvents.indexOf(BenchEvents.email(42))).isEqualTo(42);
  }

  @Test
  void ignoresKeysThatAreNotItsOwn() {
    for (String key : new String[] {"", "u", "u@x", "x1@bench.example", "u12", "u1a@bench.example", "u99999999999@b"}) {
      assertThat(BenchEvents.indexOf(key.getBytes(StandardCharsets.UTF_8))).as(key).isEqualTo(-1);
    }
    assertThat(BenchEvents.indexOf((byte[]) null)).isEqualTo(-1);
  }

  @Test
  void valuesAreValidEventsOfATypicalSize() throws Exception {
    byte[] value = BenchEvents.value(7);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).get("email").asText())
        .isEqualTo(BenchEvents.email(7));
    assertThat(value.length).isBetween(60, 120);
  }
}
