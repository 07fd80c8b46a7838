package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The api layer sits under everything that talks to a running stack, so it may use only the JDK, Jackson and
 * {@code io.keikomon.core}: no docker-java (a remote-engine transport belongs beside the engine code), no picocli.
 */
class ApiPackageImportsTest {
  private static final Path SOURCES = Path.of("src/main/java/io/keikomon/api");
  private static final Pattern ALLOWED = Pattern.compile(
      "import (static )?(java\\.|javax\\.|com\\.fasterxml\\.jackson\\.|io\\.keikomon\\.core\\.|io\\.keikomon\\.api\\.).*");

  @Test
  void importsOnlyTheJdkJacksonAndCore() throws IOException {
    List<String> offending = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no sources under " + SOURCES.toAbsolutePath());
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        if (line.startsWith("import ") && !ALLOWED.matcher(line).matches()) {
          offending.add(f.getFileName() + ": " + line);
        }
      }
    }
    assertEquals(List.of(), offending);
  }
}
