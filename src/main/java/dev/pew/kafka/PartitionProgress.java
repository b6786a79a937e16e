package dev.pew.kafka;

import java.util.BitSet;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Offset bookkeeping of one assigned partition: which records were read and are not finished yet,
 * and so what may be committed.
 *
 * <p>Guarantee: {@link #commitPoint} never passes a record that was read and is not finished, so
 * completions in any order never commit unfinished work. Offsets that were never read below the
 * highest read one (compacted away, transaction markers) count as finished. Finished offsets above
 * the commit position travel in the commit metadata ({@link CompletedOffsets}), and finished offsets
 * inherited from the previous owner's metadata are skipped on read and kept in every later commit
 * until the position passes them.
 *
 * <p>Not thread-safe: owned by the intake thread.
 */
final class PartitionProgress {

  private final NavigableSet<Long> unfinished = new TreeSet<>();
  /** Everything below is finished. */
  private long floor;
  /** One past the highest offset read, or {@code floor} before the first read. */
  private long nextOffset;
  /** Finished offsets above {@code inheritedBase}, from the previous owner. */
  private CompletedOffsets inherited;
  private final long inheritedBase;

  PartitionProgress(long committedOffset, CompletedOffsets inherited) {
    this.floor = committedOffset;
    this.nextOffset = committedOffset;
    this.inherited = inherited;
    this.inheritedBase = committedOffset;
  }

  /**
   * Records that offset {@code offset} was read. Returns false when the previous owner already
   * finished it: the caller must skip the record (it counts as finished here too).
   */
  boolean read(long offset) {
    if (offset < floor || unfinished.contains(offset)) {
      // Re-delivered after a seek: already accounted for.
      return false;
    }
    nextOffset = Math.max(nextOffset, offset + 1);
    if (inheritedDone(offset)) {
      return false;
    }
    unfinished.add(offset);
    return true;
  }

  /** Marks a read record finished. Unknown offsets are ignored (a late completion after a revoke). */
  void finish(long offset) {
    unfinished.remove(offset);
  }

  /** The position to commit: the lowest unfinished offset, or one past the highest read. */
  long position() {
    if (!unfinished.isEmpty()) {
      return unfinished.first();
    }
    // Inherited finished offsets right above the highest read one can be passed as well.
    long p = nextOffset;
    while (inheritedDone(p)) {
      p++;
    }
    return p;
  }

  /** What to commit now: the position plus the finished offsets above it, within {@code maxChars}. */
  OffsetAndMetadata commitPoint(int maxChars) {
    long pos = position();
    long end = Math.max(nextOffset, inheritedBase + inherited.window());
    BitSet done = new BitSet();
    for (long o = pos; o < end; o++) {
      int i = (int) (o - pos);
      boolean finished = o < nextOffset ? !unfinished.contains(o) : inheritedDone(o);
      if (finished) {
        done.set(i);
      }
    }
    return new OffsetAndMetadata(pos, CompletedOffsets.of(done).encode(maxChars));
  }

  /** Called after a commit succeeded: everything below the committed position is settled. */
  void committed(long position) {
    floor = Math.max(floor, position);
    if (!inherited.isEmpty() && floor >= inheritedBase + inherited.window()) {
      inherited = CompletedOffsets.none();
    }
  }

  private boolean inheritedDone(long offset) {
    long index = offset - inheritedBase;
    return index >= 0 && index < Integer.MAX_VALUE && inherited.isDone((int) index);
  }
}
