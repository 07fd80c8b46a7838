package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.keikomon.testing.TestWorkspaces;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever a user's editor does to keiko.yml, loading ends in a config or in positioned problems,
 * never in another exception (which the CLI would show as a bug with a stack trace). The mutations
 * come from a fixed seed, so a failure names a reproducible input.
 */
class MutatedConfigTest {
  private static final String ALPHABET = " \t\n:-#[]{},'\"!&*|>%@`?x0.";

  @Test
  void everyMutationOfTheDefaultLoadsOrReportsPositionedProblems() {
    String original = ConfigLoader.defaultText();
    Random random = new Random(20261125L);
    for (int i = 0; i < 400; i++) {
      String text = mutate(original, random, 1 + random.nextInt(3));
      try {
        ConfigLoader.load(TestWorkspaces.withConfig(text));
      } catch (ConfigException e) {
        for (Problem p : e.problems()) {
          assertTrue(p.line() > 0 && p.column() > 0, "mutation " + i + ": " + p.render());
        }
      } catch (RuntimeException e) {
        fail("mutation " + i + " threw " + e + " for:\n" + text, e);
      }
    }
  }

  @Test
  void everyMutationOfADotEnvParsesOrReportsLines() {
    String original = "# c\nexport GRAFANA_ADMIN_PASSWORD='a b'\nREDIS_PASSWORD=\"x\\\"y\" # c\nPROMETHEUS_RETENTION=30d\n";
    Random random = new Random(20261125L);
    for (int i = 0; i < 2000; i++) {
      String text = mutate(original, random, 1 + random.nextInt(3));
      try {
        for (Problem p : EnvFile.parse(text, ".env").problems()) {
          assertTrue(p.line() > 0, "mutation " + i + ": " + p.render());
        }
      } catch (RuntimeException e) {
        fail("mutation " + i + " threw " + e + " for:\n" + text, e);
      }
    }
  }

  private static String mutate(String text, Random random, int times) {
    StringBuilder b = new StringBuilder(text);
    for (int n = 0; n < times; n++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(4)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        default -> {
          int start = b.lastIndexOf("\n", at) + 1;
          b.insert(start, "  ");
        }
      }
    }
    return b.toString();
  }
}
