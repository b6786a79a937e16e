package dev.pew.intake.group;

import java.util.BitSet;
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
 * <p>Cost: reads and finishes are a bit flip each; the commit point is computed with word-wide bit
 * set operations, and only when something changed since the last one ({@link #changed()}).
 *
 * <p>Not thread-safe: owned by the intake thread.
 */
public final class PartitionProgress {

  /** Unfinished read records, bit {@code i} = offset {@code origin + i}. */
  private BitSet unfinished = new BitSet();
  private long origin;
  /** Everything below is settled; -1 until the first read when nothing was committed before. */
  private long floor;
  /** One past the highest offset read, or {@code floor} before the first read. */
  private long next;
  private CompletedOffsets inherited;
  private long inheritedBase;
  private boolean changed = true;

  /** From a committed position and the previous owner's finished offsets; -1: nothing committed yet. */
  PartitionProgress(long committedOffset, CompletedOffsets inherited) {
    this.floor = committedOffset;
    this.next = committedOffset;
    this.origin = Math.max(0, committedOffset);
    this.inherited = inherited;
    this.inheritedBase = committedOffset;
  }

  /**
   * Records that offset {@code offset} was read. Returns false when the record must be skipped: the
   * previous owner finished it, or it is a redelivery of one already accounted for.
   */
  public boolean read(long offset) {
    if (floor < 0) { // nothing committed before: the first record read is the base
      floor = next = origin = inheritedBase = offset;
    }
    if (offset < floor || (offset >= origin && unfinished.get(index(offset)))) {
      return false;
    }
    next = Math.max(next, offset + 1);
    changed = true;
    if (inheritedDone(offset)) {
      return false;
    }
    unfinished.set(index(offset));
    return true;
  }

  /** Marks a read record finished. Unknown offsets are ignored (a late completion after a revoke). */
  public void finish(long offset) {
    if (offset >= origin && offset < next) {
      unfinished.clear(index(offset));
      changed = true;
    }
  }

  /** Whether a read or a finish happened since the last {@link #commitPoint}. */
  boolean changed() {
    return changed;
  }

  /** Compute the commit point again next time (the last one was not committed). */
  void markChanged() {
    changed = true;
  }

  /** Nothing read yet and nothing committed before: no position to commit. */
  boolean unknown() {
    return floor < 0;
  }

  /** The position to commit: the lowest unfinished offset, or one past the highest read. */
  long position() {
    int first = unfinished.nextSetBit(index(Math.max(floor, origin)));
    if (first >= 0) {
      return origin + first;
    }
    long p = next; // inherited finished offsets right above the highest read one can be passed too
    while (inheritedDone(p)) {
      p++;
    }
    return p;
  }

  /** What to commit now: the position plus the finished offsets above it, within {@code maxChars}. */
  OffsetAndMetadata commitPoint(int maxChars) {
    changed = false;
    long pos = position();
    BitSet done = new BitSet();
    if (next > pos) {
      done.set(0, (int) Math.min(Integer.MAX_VALUE, next - pos));
      done.andNot(unfinished.get(index(pos), index(next)));
    }
    long end = inheritedBase + inherited.window();
    for (long o = Math.max(pos, next); o < end; o++) {
      if (inheritedDone(o)) {
        done.set((int) (o - pos));
      }
    }
    return new OffsetAndMetadata(pos, CompletedOffsets.of(done).encode(maxChars));
  }

  /** After a commit succeeded: everything below the committed position is settled. */
  void committed(long position) {
    floor = Math.max(floor, position);
    if (!inherited.isEmpty() && floor >= inheritedBase + inherited.window()) {
      inherited = CompletedOffsets.none();
    }
    if (floor - origin > 65_536) { // keep the bit set small: drop the settled words below the floor
      unfinished = unfinished.get(index(floor), Math.max(index(floor), index(next)));
      origin = floor;
    }
  }

  private int index(long offset) {
    return (int) (offset - origin);
  }

  private boolean inheritedDone(long offset) {
    long i = offset - inheritedBase;
    return i >= 0 && i < Integer.MAX_VALUE && inherited.isDone((int) i);
  }
}
