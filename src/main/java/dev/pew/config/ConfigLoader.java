package dev.pew.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the worker's configuration from, last wins: built-in defaults, the config file, the
 * environment. The file is the one named by {@code --conf FILE} / {@code --conf=FILE}, else by
 * the {@code CONFIG_FILE} variable, else {@code conf/config.json} in the working directory when it
 * exists. Relative paths (the file and the paths inside it) are relative to the working directory.
 * Arguments other than {@code --conf} are left to the caller. Stateless and thread-safe.
 */
public final class ConfigLoader {

  static final String CONF_ARGUMENT = "--conf";
  static final String CONFIG_FILE_VARIABLE = "CONFIG_FILE";
  static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration.
   *
   * @param args the command-line arguments (only {@code --conf} is read)
   * @param env the environment, normally {@code System.getenv()}
   * @throws ConfigException for the first problem: one line naming the key, never a secret
   */
  public static LoadedConfig load(List<String> args, Map<String, String> env) {
    return load(args, env, Path.of(""));
  }

  /** As {@link #load(List, Map)}, with config-file paths resolved against {@code workingDir}. */
  static LoadedConfig load(List<String> args, Map<String, String> env, Path workingDir) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    List<String> warnings = new ArrayList<>();
    Optional<String> fromArgument = confArgument(args);
    String fromVariable = env.get(CONFIG_FILE_VARIABLE);
    boolean variableSet = fromVariable != null && !fromVariable.isBlank();

    Optional<Path> file = Optional.empty();
    RawSettings fileSettings = new RawSettings();
    if (fromArgument.isPresent()) {
      if (variableSet) {
        warnings.add(CONFIG_FILE_VARIABLE + " is ignored because " + CONF_ARGUMENT + " names the config file");
      }
      file = Optional.of(resolve(workingDir, fromArgument.get(), CONF_ARGUMENT));
      fileSettings = JsonSettings.readFile(file.get(), CONF_ARGUMENT);
    } else if (variableSet) {
      file = Optional.of(resolve(workingDir, fromVariable.strip(), CONFIG_FILE_VARIABLE));
      fileSettings = JsonSettings.readFile(file.get(), CONFIG_FILE_VARIABLE);
    } else {
      Path fallback = workingDir.resolve(DEFAULT_FILE);
      if (Files.exists(fallback)) {
        file = Optional.of(fallback);
        fileSettings = JsonSettings.readFile(fallback, DEFAULT_FILE.toString());
      }
    }

    RawSettings envSettings = EnvironmentSettings.read(env, warnings);
    WorkerConfig.Builder builder = WorkerConfig.builder();
    fileSettings.overriddenBy(envSettings).applyTo(builder);
    WorkerConfig config = builder.build();
    plainHttpWarning(config).ifPresent(warnings::add);
    return new LoadedConfig(config, file, warnings);
  }

  /** The value of {@code --conf FILE} or {@code --conf=FILE}, if given. */
  private static Optional<String> confArgument(List<String> args) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String found;
      if (CONF_ARGUMENT.equals(arg)) {
        found = i + 1 < args.size() ? args.get(++i) : "";
      } else if (arg != null && arg.startsWith(CONF_ARGUMENT + "=")) {
        found = arg.substring(CONF_ARGUMENT.length() + 1);
      } else {
        continue;
      }
      if (found == null || found.isBlank() || found.startsWith("--")) {
        throw new ConfigException(CONF_ARGUMENT, "needs a file name: --conf FILE or --conf=FILE");
      }
      if (value != null) {
        throw new ConfigException(CONF_ARGUMENT, "given more than once; name one config file");
      }
      value = found.strip();
    }
    return Optional.ofNullable(value);
  }

  private static Path resolve(Path workingDir, String name, String key) {
    try {
      return workingDir.resolve(name);
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "must be a file path, got " + Values.quote(name));
    }
  }

  /** A token sent over plain http to another machine can be read on the way. */
  private static Optional<String> plainHttpWarning(WorkerConfig config) {
    boolean credentials = config.xcApiToken().isPresent() || config.xcApiTokenFile().isPresent();
    String scheme = config.xcEndpointUrl().getScheme().toLowerCase(Locale.ROOT);
    String host = config.xcEndpointUrl().getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    if (credentials && scheme.equals("http") && !loopback) {
      return Optional.of(ConfigKeys.XC_ENDPOINT_URL + " uses plain http: the API token is sent unencrypted to " + host);
    }
    return Optional.empty();
  }
}
