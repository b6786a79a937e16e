package dev.pew.testing;

import dev.pew.Main;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@link Main} with the logging configuration the jar ships ({@code src/main/resources/logback.xml})
 * instead of the test one. A {@link WorkerProcess} runs on the test class path, where logback finds
 * {@code logback-test.xml} first: that file has a single text appender, so {@code LOG_FORMAT=json}
 * would have no effect and tests of the log output would check the wrong format. Start it with
 * {@code WorkerProcess.startMain(ProductionLoggingMain.class.getName(), env, log)}.
 *
 * <p>Must run before any logger exists, which is why it only sets a system property and hands over.
 */
public final class ProductionLoggingMain {

  private ProductionLoggingMain() {}

  public static void main(String[] args) throws URISyntaxException {
    // The directory (or jar) Main was loaded from holds the logback.xml that ships with it.
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path config = classes.resolve("logback.xml");
    if (!Files.isRegularFile(config)) {
      System.err.println("ProductionLoggingMain: no logback.xml next to " + classes);
      System.exit(3);
    }
    System.setProperty("logback.configurationFile", config.toString());
    Main.main(args);
  }
}
