package io.keikomon.validate.tree;

import io.keikomon.render.RenderedTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads an output folder from disk into a {@link RenderedTree}, and writes one out (for the oracles). */
public final class TreeFiles {
  private TreeFiles() {}

  /** Every regular file below {@code dir}, keyed by its {@code /}-separated relative path. */
  public static RenderedTree read(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        files.put(rel, new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    return new RenderedTree(files);
  }

  public static void write(RenderedTree tree, Path dir) throws IOException {
    for (Map.Entry<String, String> e : tree.files().entrySet()) {
      Path target = dir.resolve(e.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
