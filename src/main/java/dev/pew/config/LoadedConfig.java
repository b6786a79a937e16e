package dev.pew.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ConfigLoader#load} found: the configuration, the config file it read (empty when
 * none), and warnings for the start-up log (never a secret). Immutable and thread-safe.
 */
public record LoadedConfig(WorkerConfig config, Optional<Path> file, List<String> warnings) {

  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
