package dev.pew.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.utils.AppInfoParser;

/** Where a benchmark ran: CPU, memory, OS, Java and library versions, for the report. */
final class MachineInfo {

  private MachineInfo() {}

  static List<String> describe() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal")
        .map(kb -> String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
        .orElse("?");
    return List.of(
        String.format(Locale.ROOT, "Machine: %d cores (%s), %s memory, %s %s", Runtime.getRuntime().availableProcessors(),
            cpu, memory, System.getProperty("os.name"), System.getProperty("os.version")),
        "Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        "Versions: Kafka " + AppInfoParser.getVersion() + " (single KRaft node, a process of its own), Vert.x "
            + jarVersion("vertx-core-") + ", Jackson " + jarVersion("jackson-databind-")
            + "; the broker, the simulator, the load generator and the worker share the machine");
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The version in a class path jar's name ({@code vertx-core-5.0.7.jar} gives 5.0.7), or "?". */
  static String jarVersion(String prefix) {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.startsWith(prefix) && name.endsWith(".jar") && Character.isDigit(name.charAt(prefix.length()))) {
        return name.substring(prefix.length(), name.length() - 4);
      }
    }
    return "?";
  }
}
