package io.keikomon.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows the annotated keiko.yml that `init` writes; the two must not drift apart. */
class DefaultConfigDocsTest {
  @Test
  void readmeShowsTheShippedDefaultVerbatim() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("```yaml\n" + ConfigLoader.defaultText() + "```"),
        "README.md must contain src/main/resources/defaults/keiko.yml verbatim in a ```yaml block");
  }
}
