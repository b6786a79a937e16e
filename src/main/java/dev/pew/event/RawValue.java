package dev.pew.event;

import java.util.Arrays;
import java.util.Base64;

/**
 * The {@code rawValue} / {@code rawEncoding} pair of an {@code INVALID_EVENT} result: the original
 * value as text, or as base64 when it is not UTF-8, cut at {@link EventParser#MAX_VALUE_BYTES}.
 * Immutable and thread-safe.
 */
record RawValue(String value, String encoding) {

  static final String BASE64 = "base64";

  static RawValue of(byte[] bytes) {
    if (bytes == null) {
      return new RawValue(null, null);
    }
    int length = Math.min(bytes.length, EventParser.MAX_VALUE_BYTES);
    // A cut can split a multi-byte character; drop its head so text that was valid stays text.
    int textLength = length < bytes.length ? length - Utf8.incompleteTail(bytes, length) : length;
    String text = Utf8.decodeStrict(bytes, textLength);
    if (text != null) {
      return new RawValue(text, null);
    }
    return new RawValue(Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, length)), BASE64);
  }
}
