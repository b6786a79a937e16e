package dev.pew.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docs/contract.md, the users' copy of the project's external contract, has not drifted from it:
 * every section, table row, line of a code block and {@code `key`} of the contract is in the copy,
 * word for word. The contract lives beside the repository (../shared/CONTRACT.md, as on the build
 * machines and in CI); a plain clone has only the copy, and there this test is skipped.
 */
class ContractDocTest {

  private static final Path PROJECT = ComposeFileTest.PROJECT;
  private static final Pattern CODE = Pattern.compile("`[^`]+`");

  @Test
  void theUsersCopyKeepsEverySectionTableKeyAndCommand() throws IOException {
    Path contract = PROJECT.resolveSibling("shared").resolve("CONTRACT.md");
    Assumptions.assumeTrue(Files.isRegularFile(contract), "no " + contract + " beside this clone to compare docs/contract.md with");
    List<String> source = Files.readString(contract).lines().toList();
    String copy = Files.readString(PROJECT.resolve("docs/contract.md"));
    List<String> copyLines = copy.lines().toList();

    boolean inCode = false;
    for (String line : source.subList(1, source.size())) {
      boolean fence = line.startsWith("```");
      if ((line.startsWith("## ") || line.startsWith("|") || inCode || fence) && !line.isBlank()) {
        assertThat(copyLines).as("docs/contract.md keeps this line of the contract").contains(line);
      }
      inCode ^= fence;
      Matcher code = CODE.matcher(line);
      while (code.find()) {
        assertThat(copy).as("docs/contract.md keeps %s", code.group()).contains(code.group());
      }
    }
  }
}
