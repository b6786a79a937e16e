package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Markdown links of README.md and docs/*.md work in a plain clone of the repository: a relative
 * link names a file or folder inside the repository that exists (no {@code ../} out of it, no
 * absolute file-system path), an anchor ({@code file.md#section} or {@code #section}) names a heading
 * of that file, and the only schemes are http and https (not checked: no network here).
 */
class DocsLinksTest {

  private static final Path PROJECT = ComposeFileTest.PROJECT;
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  @Test
  void everyLinkOfTheDocsStaysInTheRepositoryAndResolves() {
    List<String> problems = new ArrayList<>();
    for (Path file : documents(PROJECT)) {
      problems.addAll(problems(PROJECT, file));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theReadmeLinksTheContractInTheRepository() throws IOException {
    String readme = Files.readString(PROJECT.resolve("README.md"));

    assertThat(readme).contains("(docs/contract.md)").doesNotContain("shared/CONTRACT.md");
    assertThat(Files.readString(PROJECT.resolve("docs/contract.md")).lines().limit(5))
        .anyMatch(line -> line.contains("follows the project's external contract"));
  }

  @Test
  void brokenLinksAreFound(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(repo.resolve("docs/other.md"), "# Other page\n\n## Some `section`\n");
    Path page = repo.resolve("docs/page.md");
    Files.writeString(page, String.join("\n",
        "# Page",
        "[fine](other.md) [fine too](other.md#some-section) [up and back](../docs/other.md) [here](#page)",
        "[web](https://example.com/x) ![picture](other.md)",
        "[escapes](../../shared/CONTRACT.md)",
        "[absolute](/work/shared/CONTRACT.md)",
        "[missing](missing.md)",
        "[no such section](other.md#nowhere)",
        "[no such local section](#nowhere-here)",
        "[file scheme](file:///etc/passwd)",
        "`[in code](missing-in-code.md)`",
        "```",
        "[in a fence](missing-in-fence.md)",
        "```",
        "[reference]: also-missing.md",
        ""));

    List<String> problems = problems(repo, page);

    assertThat(problems).hasSize(7);
    assertThat(problems).anyMatch(p -> p.contains("line 4") && p.contains("outside the repository"));
    assertThat(problems).anyMatch(p -> p.contains("line 5") && p.contains("absolute path"));
    assertThat(problems).anyMatch(p -> p.contains("line 6") && p.contains("missing.md") && p.contains("no such file"));
    assertThat(problems).anyMatch(p -> p.contains("line 7") && p.contains("#nowhere"));
    assertThat(problems).anyMatch(p -> p.contains("line 8") && p.contains("#nowhere-here"));
    assertThat(problems).anyMatch(p -> p.contains("line 9") && p.contains("file:"));
    assertThat(problems).anyMatch(p -> p.contains("line 14") && p.contains("also-missing.md"));
  }

  /** README.md and every Markdown file under docs/. */
  private static List<Path> documents(Path repo) {
    List<Path> files = new ArrayList<>(List.of(repo.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(repo.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  static List<String> problems(Path repo, Path file) {
    String text = read(file);
    String where = repo.relativize(file).toString();
    List<String> problems = new ArrayList<>();
    for (Markdown.Link link : Markdown.links(text)) {
      String target = link.target();
      String at = where + " line " + link.line() + ": " + target + ": ";
      if (SCHEME.matcher(target).find()) {
        String scheme = target.substring(0, target.indexOf(':')).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          problems.add(at + "only http(s) links may leave the repository (" + scheme + ":)");
        }
        continue;
      }
      int hash = target.indexOf('#');
      String pathPart = hash < 0 ? target : target.substring(0, hash);
      String anchor = hash < 0 ? null : target.substring(hash + 1);
      if (pathPart.startsWith("/")) {
        problems.add(at + "an absolute path, which does not exist in a clone (use a path relative to " + where + ")");
        continue;
      }
      Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
      if (!resolved.startsWith(repo)) {
        problems.add(at + "points outside the repository (users clone without what lies beside it)");
      } else if (!Files.exists(resolved)) {
        problems.add(at + "no such file in the repository");
      } else if (anchor != null && resolved.toString().endsWith(".md")
          && !Markdown.anchors(read(resolved)).contains(anchor)) {
        problems.add(at + repo.relativize(resolved) + " has no heading with the anchor #" + anchor);
      }
    }
    return problems;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
