package io.keikomon.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with an expected file. On a mismatch it writes {@code <file>.actual} beside it and fails;
 * {@code -Dgolden.update=true} rewrites the expected file instead.
 */
public final class GoldenFile {
  private GoldenFile() {}

  public static void assertMatches(Path expected, String actual) {
    String text = actual.replace("\r\n", "\n");
    Path actualFile = expected.resolveSibling(expected.getFileName() + ".actual");
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(expected.getParent());
        Files.writeString(expected, text, StandardCharsets.UTF_8);
        Files.deleteIfExists(actualFile);
        return;
      }
      String want = Files.exists(expected) ? Files.readString(expected, StandardCharsets.UTF_8) : null;
      if (text.equals(want)) {
        Files.deleteIfExists(actualFile);
        return;
      }
      Files.createDirectories(expected.getParent());
      Files.writeString(actualFile, text, StandardCharsets.UTF_8);
      fail((want == null ? "no golden file " : "differs from ") + expected + " (see " + actualFile
          + "; run with -Dgolden.update=true if the change is intended)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
