package io.keikomon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README is what newcomers read first: it must keep telling the truth about the tool. */
class ReadmeTest {
  private static final Path README = Path.of("README.md");

  @Test
  void showsTheAnnotatedDefaultKeikoYmlVerbatim() throws IOException {
    String readme = Files.readString(README);
    String defaults;
    try (InputStream in = ReadmeTest.class.getResourceAsStream("/defaults/keiko.yml")) {
      defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    assertTrue(readme.contains("```yaml\n" + defaults + "\n```"),
        "README's keiko.yml block differs from src/main/resources/defaults/keiko.yml; paste the file into it");
  }

  @Test
  void listsTheSameExitCodesAsHelp() throws IOException {
    String help = new CliHarness(Services.real(TestWorkspaces.jimfs(), false)).run("--help").out();
    List<String> fromHelp = new ArrayList<>();
    Matcher h = Pattern.compile("(?m)^\\s+(\\d)\\s+(.+)$").matcher(help.substring(help.indexOf("Exit codes:")));
    while (h.find()) {
      fromHelp.add(h.group(1) + " " + h.group(2).strip());
    }
    List<String> fromReadme = new ArrayList<>();
    Matcher r = Pattern.compile("(?m)^\\| (\\d) \\| (.+) \\|$").matcher(Files.readString(README));
    while (r.find()) {
      fromReadme.add(r.group(1) + " " + r.group(2).strip());
    }
    assertEquals(fromHelp, fromReadme);
  }

  @Test
  void documentsEveryCommand() throws IOException {
    String readme = Files.readString(README);
    String help = new CliHarness(Services.real(TestWorkspaces.jimfs(), false)).run("--help").out();
    Matcher m = Pattern.compile("(?m)^  ([a-z][a-z-]+)\\s{2,}").matcher(help.substring(help.indexOf("Commands:")));
    int commands = 0;
    while (m.find()) {
      commands++;
      assertTrue(readme.contains("`keiko-mon " + m.group(1)), "README does not document `keiko-mon " + m.group(1) + "`");
    }
    assertTrue(commands >= 2, help);
  }
}
