package dev.pew.ledger;

/**
 * The sends of one input partition within the window: event-id fingerprint to the offset of the
 * record that was sent, when, after how many calls and with which 2xx status. Open addressing with
 * linear probing over three parallel arrays, 20 bytes a slot and at most 70 % full, so memory
 * follows the entries, not the backlog. The offset shares its long with the attempts (8 bits,
 * capped at 255) and the status (8 bits, above 200): offsets up to 2^48. Entries older than the
 * window are dropped whenever the table grows or is pruned.
 *
 * <p>Not thread-safe: built by one thread (restore), then confined to the event loop.
 */
public final class SendTable {

  /** Seconds are counted from 2020-01-01 so that an int lasts until 2088. */
  private static final long EPOCH_BASE_SECONDS = 1_577_836_800L;
  private static final long OFFSET_MASK = (1L << 48) - 1;

  private long[] keys;
  private long[] offsets;
  private int[] sentAt;
  private int size;

  public SendTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected / 0.7))) << 1;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    offsets = new long[capacity];
    sentAt = new int[capacity];
    size = 0;
  }

  int size() {
    return size;
  }

  /** Records a send; a newer send of the same id replaces an older one. Drops expired entries when it grows. */
  void put(long fingerprint, long offset, int attempts, int httpStatus, long sentAtMillis, long oldestMillis) {
    if (size + 1 > keys.length * 0.7) {
      rebuild(oldestMillis, true);
    }
    int seconds = seconds(sentAtMillis);
    int i = slot(fingerprint);
    if (keys[i] == 0) {
      keys[i] = fingerprint;
      size++;
    } else if (sentAt[i] > seconds) {
      return;
    }
    offsets[i] = (offset & OFFSET_MASK) | (long) Math.min(255, Math.max(0, attempts)) << 56
        | (long) (Math.min(299, Math.max(200, httpStatus)) - 200) << 48;
    sentAt[i] = seconds;
  }

  /** The slot of {@code fingerprint}, or -1; the entry must also be no older than {@code oldestMillis}. */
  int find(long fingerprint, long oldestMillis) {
    int i = slot(fingerprint);
    return keys[i] == fingerprint && sentAt[i] >= seconds(oldestMillis) ? i : -1;
  }

  long offsetAt(int slot) {
    return offsets[slot] & OFFSET_MASK;
  }

  int attemptsAt(int slot) {
    return (int) (offsets[slot] >>> 56);
  }

  int httpStatusAt(int slot) {
    return 200 + (int) ((offsets[slot] >>> 48) & 0xff);
  }

  long sentAtMillisAt(int slot) {
    return (sentAt[slot] + EPOCH_BASE_SECONDS) * 1000;
  }

  /** Drops entries older than {@code oldestMillis}; shrinks the arrays when they got much emptier. */
  void prune(long oldestMillis) {
    rebuild(oldestMillis, false);
  }

  private void rebuild(long oldestMillis, boolean growing) {
    long[] oldKeys = keys;
    long[] oldOffsets = offsets;
    int[] oldSentAt = sentAt;
    int oldest = seconds(oldestMillis);
    int live = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0 && oldSentAt[i] >= oldest) {
        live++;
      }
    }
    int capacity = oldKeys.length;
    if (growing && live + 1 > capacity * 0.5) {
      capacity <<= 1;
    } else if (!growing && capacity > 16 && live < capacity * 0.15) {
      capacity = Math.max(16, Integer.highestOneBit((int) (live / 0.35)) << 1);
    }
    allocate(capacity);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0 && oldSentAt[i] >= oldest) {
        int j = slot(oldKeys[i]);
        keys[j] = oldKeys[i];
        offsets[j] = oldOffsets[i];
        sentAt[j] = oldSentAt[i];
        size++;
      }
    }
  }

  /** The slot holding {@code fingerprint}, or the empty slot where it would go. */
  private int slot(long fingerprint) {
    int mask = keys.length - 1;
    int i = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
    while (keys[i] != 0 && keys[i] != fingerprint) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int seconds(long millis) {
    return (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, millis / 1000 - EPOCH_BASE_SECONDS));
  }
}
