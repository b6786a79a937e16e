package dev.pew.ledger;

/**
 * A 64-bit fingerprint of an event id's UTF-8 bytes (MurmurHash3's 64-bit mixing over 8-byte
 * blocks): what the ledger's table keeps instead of the id itself, so a million sends fit in a few
 * tens of megabytes. Two different ids share a fingerprint with probability about 2^-64 per pair;
 * with a million sends in the window, a lookup finds a false match about once in 10^13 lookups.
 * Stateless and thread-safe.
 */
final class Fingerprint {

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Fingerprint() {}

  /** Never 0 (the table's empty slot). */
  static long of(byte[] bytes) {
    long h = 0x9368e53c2f6af274L ^ bytes.length;
    int i = 0;
    for (; i + 8 <= bytes.length; i += 8) {
      long k = (bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8 | (bytes[i + 2] & 0xffL) << 16
          | (bytes[i + 3] & 0xffL) << 24 | (bytes[i + 4] & 0xffL) << 32 | (bytes[i + 5] & 0xffL) << 40
          | (bytes[i + 6] & 0xffL) << 48 | (bytes[i + 7] & 0xffL) << 56;
      h ^= mixK(k);
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int shift = 0; i < bytes.length; i++, shift += 8) {
      tail |= (bytes[i] & 0xffL) << shift;
    }
    h ^= mixK(tail);
    h = fmix(h ^ bytes.length);
    return h == 0 ? 1 : h;
  }

  private static long mixK(long k) {
    k *= C1;
    k = Long.rotateLeft(k, 31);
    return k * C2;
  }

  private static long fmix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
