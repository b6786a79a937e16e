package dev.pew;

import java.util.Map;
import java.util.Properties;

/**
 * System properties the worker sets for its own JVM before any library reads them, each only where
 * the operator has not set it ({@code -D...} or {@code JAVA_TOOL_OPTIONS} always win).
 *
 * <ul>
 *   <li>{@code io.netty.jfr.enabled=false}: Netty 4.2's buffer allocator reports each chunk and
 *       buffer as a Java Flight Recorder event when JFR is available. Checking whether those events
 *       are enabled makes the JVM set up its JFR event machinery on the first HTTP request (about 130
 *       classes, some of them generated at run time, which class-data sharing cannot keep). That cost
 *       a cold worker's first call 116 and 162 ms in two measured runs (docs/benchmarks.md,
 *       "Start-up: Netty's flight-recorder events and the first poll"). JFR itself keeps working;
 *       only Netty's allocator events are off.</li>
 * </ul>
 *
 * <p>Thread: the main thread, first thing in {@link Main#main}, before Netty's classes load.
 */
final class JvmDefaults {

  /** Each property and the value the worker gives it when the operator has not. */
  static final Map<String, String> DEFAULTS = Map.of("io.netty.jfr.enabled", "false");

  private JvmDefaults() {}

  /** Sets every {@link #DEFAULTS} entry that {@code system} does not have yet. */
  static void apply(Properties system) {
    DEFAULTS.forEach(system::putIfAbsent);
  }
}
