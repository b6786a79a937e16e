package dev.pew.xc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pew.testing.WorkerHarness;
import dev.pew.xc.impl.FileTokenSource;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FileTokenSourceTest {

  @TempDir
  Path dir;

  @Test
  void readsTheTokenWithoutItsTrailingNewline(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "tok-1\n");
    FileTokenSource source = WorkerHarness.await(FileTokenSource.open(vertx, file));
    assertThat(source.current()).contains("tok-1");
    source.close();
  }

  @Test
  void picksUpARotatedTokenAndTellsItsListeners(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "old");
    FileTokenSource source = WorkerHarness.await(FileTokenSource.open(vertx, file));
    AtomicInteger changes = new AtomicInteger();
    source.onChange(changes::incrementAndGet);

    Files.writeString(file, "new");
    // The token is replaced first, then the listeners are told (on the event loop): wait for both.
    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().orElse("").equals("new") && changes.get() > 0);
    assertThat(changes).hasValue(1);
    source.close();
  }

  @Test
  void keepsTheLastTokenWhileTheFileIsMissing(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "kept");
    FileTokenSource source = WorkerHarness.await(FileTokenSource.open(vertx, file));
    Files.delete(file);
    Thread.sleep(2 * 1000 + 200); // two checks of the missing file
    assertThat(source.current()).contains("kept");
    Files.writeString(file, "back");
    await().atMost(Duration.ofSeconds(5)).until(() -> source.current().orElse("").equals("back"));
    source.close();
  }

  @Test
  void failsToOpenAFileThatCannotBeRead(Vertx vertx) {
    var opened = FileTokenSource.open(vertx, dir.resolve("missing"));
    await().atMost(Duration.ofSeconds(5)).until(opened::isComplete);
    assertThat(opened.failed()).isTrue();
  }
}
