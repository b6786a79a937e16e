package dev.pew.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One Prometheus text-format scrape, parsed into samples so tests can ask for a series by name and
 * labels. Handles what Micrometer writes ({@code # HELP}/{@code # TYPE} comments, quoted label values
 * with {@code \\}, {@code \"} and {@code \n} escapes, {@code NaN}/{@code +Inf}); it is not a full
 * OpenMetrics parser.
 *
 * <p>Immutable and thread-safe.
 */
public final class PrometheusScrape {

  /**
   * One line of the scrape.
   *
   * @param name the series name, e.g. {@code pew_results_total}
   * @param labels its labels in scrape order
   * @param value the sample value
   */
  public record Sample(String name, Map<String, String> labels, double value) {

    /** Whether every given label has the given value ({@code k1, v1, k2, v2, ...}). */
    public boolean has(String... labelPairs) {
      for (int i = 0; i + 1 < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
          return false;
        }
      }
      return true;
    }
  }

  private final String text;
  private final List<Sample> samples;

  private PrometheusScrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = Collections.unmodifiableList(samples);
  }

  /** Parses {@code text}; a line that is not a comment and not a sample fails with its content. */
  public static PrometheusScrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      out.add(parseLine(l));
    }
    return new PrometheusScrape(text, out);
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = space;
    } else {
      throw new IllegalArgumentException("not a Prometheus sample: " + line);
    }
    String[] valueAndTime = line.substring(rest).strip().split("\\s+");
    return new Sample(name, Collections.unmodifiableMap(labels), parseValue(valueAndTime[0], line));
  }

  /** Reads {@code k="v",...}} starting at {@code i}; returns the index after the closing brace. */
  private static int parseLabels(String line, int i, Map<String, String> labels) {
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '}') {
        return i + 1;
      }
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("bad labels in: " + line);
      }
      String key = line.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char v = line.charAt(j);
        if (v == '\\' && j + 1 < line.length()) {
          char e = line.charAt(++j);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(v);
        }
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
    throw new IllegalArgumentException("unterminated labels in: " + line);
  }

  private static double parseValue(String v, String line) {
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad value in: " + line, e);
        }
      }
    };
  }

  /** The scrape as received. */
  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Every series name, in scrape order. */
  public Set<String> names() {
    return samples.stream().map(Sample::name).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Samples of {@code name} carrying these labels ({@code k1, v1, ...}; others may be present too). */
  public List<Sample> find(String name, String... labelPairs) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(labelPairs)).toList();
  }

  /** The value of the one sample of {@code name} with these labels, if there is exactly one. */
  public Optional<Double> value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples of " + name + " match " + List.of(labelPairs));
    }
    return found.stream().findFirst().map(Sample::value);
  }

  /** The sum over every sample of {@code name} with these labels (0 when there is none). */
  public double sum(String name, String... labelPairs) {
    return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  /** The lines of the scrape whose series name starts with {@code prefix} (for reports). */
  public List<String> lines(String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).toList();
  }
}
