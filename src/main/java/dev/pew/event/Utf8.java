package dev.pew.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: malformed input is reported, never replaced. Stateless and thread-safe. */
final class Utf8 {

  private Utf8() {}

  /** The text of {@code bytes[0..length)}, or null when those bytes are not valid UTF-8. */
  static String decodeStrict(byte[] bytes, int length) {
    // A decoder is stateful, so each call takes its own; the lenient String(byte[]) constructor
    // would turn bad bytes into U+FFFD and hide that the value was not text.
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static String decodeStrict(byte[] bytes) {
    return decodeStrict(bytes, bytes.length);
  }

  /**
   * How many bytes at the end of {@code bytes[0..length)} form the start of a character that was
   * cut off at {@code length}; 0 when the cut falls between characters.
   */
  static int incompleteTail(byte[] bytes, int length) {
    for (int back = 1; back <= 4 && back <= length; back++) {
      int b = bytes[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // continuation byte: its lead byte is further back
      }
      int sequenceLength = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
      return sequenceLength > back ? back : 0;
    }
    return 0;
  }

  /** True when {@code s} has no unpaired surrogate, so it encodes to UTF-8 and back unchanged. */
  static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
