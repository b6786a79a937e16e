package dev.pew.replay;

import dev.pew.event.ErrorCategory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The arguments of {@code replay}: {@code --from TOPIC [--category C]... [--since T] [--until T]
 * [--limit N] [--dry-run] [--conf FILE]}, each also as {@code --name=value}. {@code --conf} is left
 * to the configuration loader. Immutable and thread-safe.
 *
 * @param from the dead-letter topic to read
 * @param categories the error categories to replay; empty: all
 * @param since replay only dead letters with a record timestamp at or after this; null: no bound
 * @param until replay only dead letters with a record timestamp before this; null: no bound
 * @param limit stop after this many are published (or would be, with {@code --dry-run}); 0: no limit
 * @param dryRun publish nothing, print what would be published
 * @param help {@code --help} or {@code -h}: print the usage and nothing else
 */
public record ReplayArgs(String from, Set<ErrorCategory> categories, Instant since, Instant until, long limit,
    boolean dryRun, boolean help) {

  static final String USAGE = String.join("\n",
      "usage: java -jar password-email-worker.jar replay --from TOPIC [--category C]... [--since T] [--until T]",
      "                                                   [--limit N] [--dry-run] [--conf FILE]",
      "",
      "Publishes dead letters (TOPIC_DEAD_LETTER copies of failed inputs) back to TOPIC_INPUT with their key,",
      "value and original headers: the error headers removed, replayed-from=<topic>-<partition>-<offset> added.",
      "Reads each partition of TOPIC up to its end offset at start, then stops.",
      "",
      "  --from TOPIC      the dead-letter topic to read (required)",
      "  --category C      only this error category; repeat it for several (or C1,C2). One of:",
      "                    " + Arrays.stream(ErrorCategory.values()).map(Enum::name).collect(Collectors.joining(", ")),
      "  --since T         only dead letters written at or after T (ISO-8601, e.g. 2026-11-27T10:00:00Z)",
      "  --until T         only dead letters written before T",
      "  --limit N         stop after N published",
      "  --dry-run         publish nothing; print what would be published",
      "  --conf FILE       the worker's config file (else CONFIG_FILE, else conf/config.json if present)",
      "  --help            this text",
      "",
      "Kafka settings (KAFKA_BOOTSTRAP_SERVERS, TOPIC_INPUT, KAFKA_* security properties) come from the same",
      "file and environment variables as the worker's; XC_ENDPOINT_URL is not needed. No consumer group is used",
      "and nothing is committed: running it twice publishes twice.",
      "Exit codes: 0 done, 2 bad argument or configuration, 1 Kafka could not be read or written.");

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> WITH_VALUE = Set.of("--from", "--category", "--since", "--until", "--limit", "--conf");

  public ReplayArgs {
    categories = Collections.unmodifiableSet(new LinkedHashSet<>(categories));
  }

  /** An argument is missing or wrong: {@link #getMessage()} is one line naming it. */
  public static final class BadArgument extends RuntimeException {
    private final String argument;

    BadArgument(String argument, String problem) {
      super(argument + ": " + problem.replaceAll("\\p{Cntrl}+", " "), null, false, false);
      this.argument = argument;
    }

    /** The argument the problem is about, such as {@code --since}. */
    public String argument() {
      return argument;
    }
  }

  /**
   * Parses the arguments after {@code replay}.
   *
   * @throws BadArgument for the first problem
   */
  public static ReplayArgs parse(List<String> args) {
    if (args.stream().anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
      return new ReplayArgs(null, Set.of(), null, null, 0, false, true);
    }
    String from = null;
    Set<ErrorCategory> categories = new LinkedHashSet<>();
    Instant since = null;
    Instant until = null;
    Long limit = null;
    boolean dryRun = false;
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = String.valueOf(args.get(i));
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.startsWith("--")) {
        throw new BadArgument(shown(arg), "unexpected argument (replay --help lists the arguments)");
      }
      if (name.equals("--dry-run")) {
        if (value != null) {
          throw new BadArgument("--dry-run", "takes no value");
        }
        dryRun = true;
        continue;
      }
      if (!WITH_VALUE.contains(name)) {
        throw new BadArgument(shown(name), "unknown argument (replay --help lists the arguments)");
      }
      if (value == null) {
        value = i + 1 < args.size() && !String.valueOf(args.get(i + 1)).startsWith("--") ? args.get(++i) : null;
      }
      if (value == null || value.isBlank()) {
        throw new BadArgument(name, "needs a value: " + name + " " + placeholder(name));
      }
      value = value.strip();
      if (!name.equals("--category") && seen.contains(name)) {
        throw new BadArgument(name, "given more than once");
      }
      seen.add(name);
      switch (name) {
        case "--from" -> {
          if (!TOPIC.matcher(value).matches()) {
            throw new BadArgument(name, "must be a Kafka topic name (letters, digits, . _ -), got " + quote(value));
          }
          from = value;
        }
        case "--category" -> {
          for (String c : value.split(",", -1)) {
            categories.add(category(c.strip()));
          }
        }
        case "--since" -> since = instant(name, value);
        case "--until" -> until = instant(name, value);
        case "--limit" -> limit = limit(value);
        default -> { } // --conf: read by the configuration loader
      }
    }
    if (from == null) {
      throw new BadArgument("--from", "required: name the dead-letter topic (--from TOPIC)");
    }
    if (since != null && until != null && !until.isAfter(since)) {
      throw new BadArgument("--until", "must be after --since (" + since + "), got " + until);
    }
    return new ReplayArgs(from, categories, since, until, limit == null ? 0 : limit, dryRun, false);
  }

  /** Whether a dead letter of this category, written at {@code timestampMs}, is to be replayed. */
  boolean categoryMatches(String category) {
    return categories.isEmpty() || categories.stream().anyMatch(c -> c.name().equals(category));
  }

  boolean timeMatches(long timestampMs) {
    return (since == null || timestampMs >= since.toEpochMilli()) && (until == null || timestampMs < until.toEpochMilli());
  }

  Optional<Long> limitValue() {
    return limit > 0 ? Optional.of(limit) : Optional.empty();
  }

  /** The filters as given, for the summary: {@code --category NOT_FOUND --since ...}; empty without any. */
  String filters() {
    List<String> parts = new ArrayList<>();
    categories.forEach(c -> parts.add("--category " + c));
    if (since != null) {
      parts.add("--since " + since);
    }
    if (until != null) {
      parts.add("--until " + until);
    }
    return String.join(" ", parts);
  }

  private static ErrorCategory category(String text) {
    try {
      return ErrorCategory.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadArgument("--category", "must be one of " + Arrays.stream(ErrorCategory.values()).map(Enum::name)
          .collect(Collectors.joining(", ")) + ", got " + quote(text));
    }
  }

  private static Instant instant(String name, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        throw new BadArgument(name, "must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, got " + quote(text));
      }
    }
  }

  private static long limit(String text) {
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadArgument("--limit", "must be a whole number >= 1, got " + quote(text));
    }
    if (n < 1) {
      throw new BadArgument("--limit", "must be a whole number >= 1, got " + quote(text));
    }
    return n;
  }

  private static String placeholder(String name) {
    return switch (name) {
      case "--from" -> "TOPIC";
      case "--category" -> "CATEGORY";
      case "--since", "--until" -> "2026-11-27T10:00:00Z";
      case "--limit" -> "N";
      default -> "FILE";
    };
  }

  /** An argument as shown in a message: at most 60 characters, no control characters. */
  private static String shown(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 60 ? clean.substring(0, 57) + "..." : clean;
  }

  private static String quote(String text) {
    return "\"" + shown(text) + "\"";
  }
}
