package dev.pew.ledger;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * One entry of the ledger topic, keyed by the event id (UTF-8): which input record was sent (its
 * partition and offset), when, after how many calls and with which HTTP status. The value is 27
 * bytes, big-endian: {@code 'P' 'L' 1}, partition (int), offset (long), sent at (epoch millis,
 * long), attempts (short), HTTP status (short). Anything else in the topic is foreign or malformed
 * and is skipped. Immutable and thread-safe.
 */
public record LedgerRecord(int partition, long offset, long sentAtMillis, int attempts, int httpStatus) {

  static final int SIZE = 27;
  private static final byte M1 = 'P';
  private static final byte M2 = 'L';
  private static final byte VERSION = 1;

  public byte[] encode() {
    return ByteBuffer.allocate(SIZE).put(M1).put(M2).put(VERSION).putInt(partition).putLong(offset)
        .putLong(sentAtMillis).putShort((short) attempts).putShort((short) httpStatus).array();
  }

  /** What a value read from the ledger topic is. */
  enum Kind { ENTRY, FOREIGN, MALFORMED }

  /**
   * Reads one record of the ledger topic into the table of its input partition ({@code tables}
   * gives it, or null when that partition is not wanted) when it is an entry within the window;
   * a foreign or malformed record is counted in {@code metrics}. Returns what the record was.
   */
  static Kind readInto(IntFunction<SendTable> tables, byte[] key, byte[] value, long oldestMillis, LedgerMetrics metrics) {
    Kind kind = kind(key, value);
    if (kind != Kind.ENTRY) {
      metrics.ledgerRecordSkipped(kind.name().toLowerCase(java.util.Locale.ROOT));
      return kind;
    }
    LedgerRecord e = decode(value);
    SendTable table = e.sentAtMillis() >= oldestMillis ? tables.apply(e.partition()) : null;
    if (table != null) {
      table.put(Fingerprint.of(key), e.offset(), e.attempts(), e.httpStatus(), e.sentAtMillis(), oldestMillis);
    }
    return kind;
  }

  static Kind kind(byte[] key, byte[] value) {
    if (value == null || value.length < 3 || value[0] != M1 || value[1] != M2) {
      return Kind.FOREIGN;
    }
    return value[2] != VERSION || value.length != SIZE || key == null || key.length == 0 ? Kind.MALFORMED : Kind.ENTRY;
  }

  /** Reads a value whose {@link #kind} is {@link Kind#ENTRY}. */
  static LedgerRecord decode(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value, 3, SIZE - 3);
    return new LedgerRecord(b.getInt(), b.getLong(), b.getLong(), b.getShort(), b.getShort());
  }
}
