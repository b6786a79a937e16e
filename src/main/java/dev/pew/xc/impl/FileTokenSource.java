package dev.pew.xc.impl;

import dev.pew.xc.TokenSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API token from a file ({@code XC_API_TOKEN_FILE}), re-read when the file changes so that a
 * rotated token (a Kubernetes secret update, say) heals the worker without a restart. The file is
 * checked once a second without blocking the event loop; {@link #reload()} checks at once (the
 * dispatcher does before each credential probe).
 *
 * <p>{@link #current()} is safe from any thread. Surrounding white space (the trailing newline of
 * most secret files) is not part of the token.
 */
public final class FileTokenSource implements TokenSource {

  private static final Logger LOG = LoggerFactory.getLogger(FileTokenSource.class);
  static final long CHECK_INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final String path;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Optional<String> token = Optional.empty();
  private boolean loaded;
  private boolean unreadable;
  private long timerId = -1;

  private FileTokenSource(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path.toString();
  }

  /** Reads the file once and starts watching it. Fails when the file cannot be read. */
  public static Future<FileTokenSource> open(Vertx vertx, Path path) {
    FileTokenSource source = new FileTokenSource(vertx, path);
    return source.reload().map(changed -> {
      source.timerId = vertx.setPeriodic(CHECK_INTERVAL_MS, id -> source.reload()
          .onSuccess(ok -> source.readable(true))
          .onFailure(e -> source.readable(false)));
      return source;
    });
  }

  @Override
  public Optional<String> current() {
    return token;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Re-reads the file; succeeds with whether the token changed. The file is read whole every time
   * (it is tiny): modification times are too coarse on some file systems to catch a quick rotation.
   */
  private Future<Boolean> reload() {
    return vertx.fileSystem().readFile(path).map(buffer -> {
      String text = buffer.toString(StandardCharsets.UTF_8).strip();
      Optional<String> next = text.isEmpty() ? Optional.empty() : Optional.of(text);
      if (loaded && next.equals(token)) {
        return false;
      }
      boolean first = !loaded;
      loaded = true;
      token = next;
      if (next.isEmpty()) {
        LOG.warn("API token file {} is empty: calls go out without a token", path);
      }
      if (!first) {
        LOG.info("API token file {} changed: using the new token", path);
        listeners.forEach(Runnable::run);
      }
      return true;
    });
  }

  /** Logs once when the file stops being readable (rotation by delete-and-create, say) and once when it is back. */
  private void readable(boolean ok) {
    if (!ok && !unreadable) {
      LOG.warn("API token file {} cannot be read; keeping the last token and checking every second", path);
    } else if (ok && unreadable) {
      LOG.info("API token file {} can be read again", path);
    }
    unreadable = !ok;
  }

  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
