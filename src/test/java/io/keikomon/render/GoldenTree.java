package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares a rendered tree with a folder of expected files. On a mismatch it writes {@code <file>.actual}
 * beside the expected file and fails; with {@code -Dgolden.update=true} it rewrites the folder instead.
 */
final class GoldenTree {
  private static final String ACTUAL = ".actual";

  private GoldenTree() {}

  static void assertMatches(Path folder, RenderedTree tree) {
    try {
      if (Boolean.getBoolean("golden.update")) {
        update(folder, tree);
        return;
      }
      List<String> problems = new ArrayList<>();
      Set<String> expected = listFiles(folder);
      for (String path : tree.paths()) {
        Path golden = folder.resolve(path);
        Path actual = folder.resolve(path + ACTUAL);
        String want = expected.contains(path) ? Files.readString(golden, StandardCharsets.UTF_8) : null;
        if (tree.get(path).equals(want)) {
          Files.deleteIfExists(actual);
        } else {
          Files.createDirectories(actual.getParent());
          Files.writeString(actual, tree.get(path), StandardCharsets.UTF_8);
          problems.add((want == null ? "unexpected file " : "differs: ") + path + " (see " + actual + ")");
        }
      }
      for (String path : expected) {
        if (!tree.contains(path)) {
          problems.add("not rendered any more: " + path);
        }
      }
      if (!problems.isEmpty()) {
        fail("rendered tree differs from " + folder + " (run with -Dgolden.update=true if the change is intended):\n  "
            + String.join("\n  ", problems));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void update(Path folder, RenderedTree tree) throws IOException {
    for (String path : listFiles(folder)) {
      if (!tree.contains(path)) {
        Files.delete(folder.resolve(path));
      }
    }
    for (String path : tree.paths()) {
      Path file = folder.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, tree.get(path), StandardCharsets.UTF_8);
      Files.deleteIfExists(folder.resolve(path + ACTUAL));
    }
  }

  /** Expected files, relative and '/'-separated, without *.actual leftovers. */
  private static Set<String> listFiles(Path folder) throws IOException {
    Set<String> files = new TreeSet<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile)
          .map(p -> folder.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.endsWith(ACTUAL))
          .forEach(files::add);
    }
    return files;
  }
}
