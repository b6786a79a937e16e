package dev.pew.intake.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompletedOffsetsTest {

  @Test
  void encodesNothingWhenNoOffsetIsFinished() {
    assertThat(CompletedOffsets.none().encode(4000)).isEmpty();
    assertThat(CompletedOffsets.of(new BitSet()).encode(4000)).isEmpty();
  }

  @Test
  void roundTripsRandomBitSets() {
    Random random = new Random(42);
    for (int run = 0; run < 500; run++) {
      BitSet bits = new BitSet();
      int window = random.nextInt(3000);
      for (int i = 0; i < window; i++) {
        if (random.nextInt(3) == 0) {
          bits.set(i);
        }
      }
      CompletedOffsets original = CompletedOffsets.of(bits);
      String encoded = original.encode(4000);
      CompletedOffsets decoded = CompletedOffsets.decode(encoded).orElse(CompletedOffsets.none());
      assertThat(decoded).isEqualTo(original);
    }
  }

  @Test
  void staysWithinTheSizeBoundByForgettingOnlyTheHighestFinishedOffsets() {
    BitSet bits = new BitSet();
    bits.set(1, 100_000, true);
    CompletedOffsets big = CompletedOffsets.of(bits);
    String encoded = big.encode(200);
    assertThat(encoded.length()).isLessThanOrEqualTo(200);
    CompletedOffsets cut = CompletedOffsets.decode(encoded).orElseThrow();
    assertThat(cut.window()).isGreaterThan(0).isLessThan(big.window());
    for (int i = 0; i < cut.window(); i++) {
      assertThat(cut.isDone(i)).isEqualTo(big.isDone(i));
    }
    assertThat(cut.isDone(cut.window() + 1)).isFalse();
  }

  @Test
  void readsForeignOrDamagedMetadataAsNothingFinished() {
    assertThat(CompletedOffsets.decode(null)).isEmpty();
    assertThat(CompletedOffsets.decode("")).isEmpty();
    assertThat(CompletedOffsets.decode("written by another tool")).isEmpty();
    assertThat(CompletedOffsets.decode("pew1:abc:AA")).isEmpty();
    assertThat(CompletedOffsets.decode("pew1:3:!!!")).isEmpty();
    assertThat(CompletedOffsets.decode("pew1:2:_w")).isEmpty(); // more bits than the window claims
  }
}
