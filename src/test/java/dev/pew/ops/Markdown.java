package dev.pew.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests read from the project's Markdown files: headings and their anchors (as GitHub makes
 * them), links, and the setting names of README's configuration table. Fenced code blocks are left
 * out, as renderers do. Stateless.
 */
final class Markdown {

  /** Inline links and images {@code [text](target)} or {@code [text](target "title")}. */
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** Reference definitions {@code [label]: target}. */
  private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  private Markdown() {}

  /** The lines outside fenced code blocks; lines inside are replaced by empty ones, so numbers stay. */
  static List<String> proseLines(String markdown) {
    List<String> out = new ArrayList<>();
    String fence = null;
    for (String line : markdown.split("\n", -1)) {
      String stripped = line.strip();
      if (fence == null && (stripped.startsWith("```") || stripped.startsWith("~~~"))) {
        fence = stripped.substring(0, 3);
        out.add("");
      } else if (fence != null) {
        if (stripped.startsWith(fence)) {
          fence = null;
        }
        out.add("");
      } else {
        out.add(line);
      }
    }
    return out;
  }

  /** A link found in a file: its target as written and its line (1-based). */
  record Link(String target, int line) {}

  static List<Link> links(String markdown) {
    List<Link> links = new ArrayList<>();
    List<String> lines = proseLines(markdown);
    for (int i = 0; i < lines.size(); i++) {
      String line = INLINE_CODE.matcher(lines.get(i)).replaceAll("");
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        links.add(new Link(link.group(2), i + 1));
      }
      Matcher reference = REFERENCE.matcher(line);
      if (reference.matches()) {
        links.add(new Link(reference.group(1), i + 1));
      }
    }
    return links;
  }

  /** The anchors of the file's headings, as GitHub generates them (duplicates get -1, -2, ...). */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    for (String line : proseLines(markdown)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(2));
        String unique = slug;
        for (int n = 1; anchors.contains(unique); n++) {
          unique = slug + "-" + n;
        }
        anchors.add(unique);
      }
    }
    return anchors;
  }

  /** GitHub's heading anchor: lower case, punctuation dropped (but - and _), spaces to -. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").toLowerCase(Locale.ROOT);
    StringBuilder slug = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        slug.appendCodePoint(c);
      } else if (c == ' ') {
        slug.append('-');
      }
    });
    return slug.toString();
  }

  /**
   * The setting names of the table under {@code sectionHeading}: every {@code `NAME`} in the first
   * cell of rows {@code | `NAME` | ... |} (a cell may name two, {@code `A` / `B`}).
   */
  static Set<String> tableNames(String markdown, String sectionHeading) {
    Set<String> names = new LinkedHashSet<>();
    boolean inSection = false;
    Pattern name = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    for (String line : proseLines(markdown)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        inSection = line.strip().equals(sectionHeading);
        continue;
      }
      if (inSection && line.startsWith("| `")) {
        String firstCell = line.substring(1, line.indexOf('|', 1));
        Matcher m = name.matcher(firstCell);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
