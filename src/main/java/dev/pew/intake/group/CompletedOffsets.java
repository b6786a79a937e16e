package dev.pew.intake.group;

import java.util.Base64;
import java.util.BitSet;
import java.util.Optional;

/**
 * Which offsets at or above a committed position are already finished, carried in the commit's
 * metadata so that the next owner of the partition skips them instead of calling the API again.
 *
 * <p>Bit {@code i} stands for offset {@code base + i}: set = finished (or an offset that does not
 * exist, such as a compacted record or a transaction marker: skipping those is harmless), clear =
 * not finished. Offsets past the window are not finished. The encoding is
 * {@code pew1:<window>:<base64url bit set>}; it is cut to a size bound by shrinking the window, which
 * only ever forgets finished offsets (they are redone), never invents them.
 *
 * <p>Immutable and thread-safe.
 */
public final class CompletedOffsets {

  static final String PREFIX = "pew1:";
  private static final CompletedOffsets NONE = new CompletedOffsets(0, new BitSet());

  private final int window;
  private final BitSet done;

  private CompletedOffsets(int window, BitSet done) {
    this.window = window;
    this.done = done;
  }

  /** No offset above the base is finished. */
  public static CompletedOffsets none() {
    return NONE;
  }

  /** From a bit set where bit i is offset base + i; trailing unfinished offsets are dropped. */
  public static CompletedOffsets of(BitSet done) {
    int window = done.length();
    return window == 0 ? NONE : new CompletedOffsets(window, (BitSet) done.clone());
  }

  /** Whether offset {@code base + index} is finished. */
  public boolean isDone(int index) {
    return index >= 0 && index < window && done.get(index);
  }

  /** One past the highest finished index (0 when none). */
  public int window() {
    return window;
  }

  public boolean isEmpty() {
    return window == 0;
  }

  /** How many offsets in the window are finished. */
  public int count() {
    return done.cardinality();
  }

  /**
   * The metadata string, at most {@code maxChars} characters; empty when nothing is finished. When
   * the window does not fit, the highest offsets are left out (they will be redone, not lost).
   */
  public String encode(int maxChars) {
    if (window == 0) {
      return "";
    }
    BitSet bits = done;
    int w = window;
    String encoded = render(bits, w);
    if (encoded.length() > maxChars) {
      int header = PREFIX.length() + String.valueOf(w).length() + 1;
      int maxBytes = Math.max(0, (maxChars - header) / 4 * 3);
      int maxBits = maxBytes * 8;
      bits = bits.get(0, Math.min(w, maxBits));
      w = bits.length();
      if (w == 0) {
        return "";
      }
      encoded = render(bits, w);
    }
    return encoded;
  }

  private static String render(BitSet bits, int window) {
    return PREFIX + window + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits.toByteArray());
  }

  /**
   * Reads metadata written by {@link #encode}. Anything else (empty, written by another tool, or
   * damaged) reads as {@link Optional#empty()}: the records are then simply processed again.
   */
  public static Optional<CompletedOffsets> decode(String metadata) {
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int colon = metadata.indexOf(':', PREFIX.length());
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      int window = Integer.parseInt(metadata.substring(PREFIX.length(), colon));
      byte[] bytes = Base64.getUrlDecoder().decode(metadata.substring(colon + 1));
      BitSet bits = BitSet.valueOf(bytes);
      if (window < 0 || bits.length() > window) {
        return Optional.empty();
      }
      return Optional.of(of(bits));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompletedOffsets other && window == other.window && done.equals(other.done);
  }

  @Override
  public int hashCode() {
    return done.hashCode() * 31 + window;
  }

  @Override
  public String toString() {
    return "CompletedOffsets{window=" + window + ", done=" + done + "}";
  }
}
