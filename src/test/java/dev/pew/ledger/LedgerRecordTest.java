package dev.pew.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerRecordTest {

  private static final byte[] KEY = "e-1".getBytes(StandardCharsets.UTF_8);

  @Test
  void decodesWhatItEncodes() {
    LedgerRecord r = new LedgerRecord(5, 123_456_789_012L, 1_800_000_000_123L, 4, 202);
    byte[] value = r.encode();

    assertThat(value).hasSize(LedgerRecord.SIZE);
    assertThat(LedgerRecord.kind(KEY, value)).isEqualTo(LedgerRecord.Kind.ENTRY);
    assertThat(LedgerRecord.decode(value)).isEqualTo(r);
  }

  @Test
  void tellsForeignRecordsFromMalformedOnes() {
    byte[] good = new LedgerRecord(0, 1, 2, 1, 200).encode();
    byte[] wrongVersion = good.clone();
    wrongVersion[2] = 9;

    assertThat(LedgerRecord.kind(KEY, null)).isEqualTo(LedgerRecord.Kind.FOREIGN);
    assertThat(LedgerRecord.kind(KEY, "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(LedgerRecord.Kind.FOREIGN);
    assertThat(LedgerRecord.kind(KEY, new byte[] {'P'})).isEqualTo(LedgerRecord.Kind.FOREIGN);
    assertThat(LedgerRecord.kind(KEY, wrongVersion)).isEqualTo(LedgerRecord.Kind.MALFORMED);
    assertThat(LedgerRecord.kind(KEY, java.util.Arrays.copyOf(good, 20))).isEqualTo(LedgerRecord.Kind.MALFORMED);
    assertThat(LedgerRecord.kind(null, good)).isEqualTo(LedgerRecord.Kind.MALFORMED);
    assertThat(LedgerRecord.kind(new byte[0], good)).isEqualTo(LedgerRecord.Kind.MALFORMED);
  }

  @Test
  void fingerprintsAreStableNonZeroAndDistinctForAMillionIds() {
    assertThat(Fingerprint.of(KEY)).isEqualTo(Fingerprint.of("e-1".getBytes(StandardCharsets.UTF_8)));
    assertThat(Fingerprint.of(new byte[0])).isNotZero();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1_000_000; i++) {
      if (!seen.add(Fingerprint.of(("signup-" + i).getBytes(StandardCharsets.UTF_8)))) {
        org.junit.jupiter.api.Assertions.fail("two ids share a fingerprint at signup-" + i);
      }
    }
  }
}
