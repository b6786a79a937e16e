package dev.pew.xc;

import java.util.Optional;

/**
 * Where the API token comes from: nothing, a fixed value, or a file that may be rotated while the
 * worker runs ({@link dev.pew.xc.impl.FileTokenSource}). Implementations are safe to read from any
 * thread.
 */
public interface TokenSource {

  /** The token to send now, if any. */
  Optional<String> current();

  /** Asks to be told when the token changes (the file was rotated). */
  default void onChange(Runnable listener) {}

  static TokenSource none() {
    return Optional::empty;
  }

  static TokenSource of(String token) {
    Optional<String> t = Optional.of(token);
    return () -> t;
  }
}
