package dev.pew.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ConfigLoader#load}: the validated configuration, the config file it read
 * (empty when none), and warnings to log at start-up (they never contain a secret).
 * Immutable and thread-safe.
 */
public record LoadedConfig(WorkerConfig config, Optional<Path> file, List<String> warnings) {

  public LoadedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(file, "file");
    warnings = List.copyOf(warnings);
  }
}
