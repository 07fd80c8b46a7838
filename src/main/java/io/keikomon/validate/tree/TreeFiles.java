package io.keikomon.validate.tree;

import io.keikomon.config.Problem;
import io.keikomon.config.TextFile;
import io.keikomon.render.RenderedTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads an output folder from disk into a {@link RenderedTree}, and writes one out (for the oracles). */
public final class TreeFiles {
  private TreeFiles() {}

  /**
   * What {@link #read} found: the files asked for, those it left alone (relative paths, sorted) and the ones
   * it could not take as text (too big, not UTF-8), as positioned problems.
   */
  public record Read(RenderedTree tree, List<String> ignored, List<Problem> problems) {
    public Read {
      ignored = List.copyOf(ignored);
      problems = List.copyOf(problems);
    }
  }

  /**
   * The regular files below {@code dir} that {@code wanted} accepts (by {@code /}-separated relative path),
   * each read in bounded memory; the others are not opened, whatever their size.
   *
   * @param root how the folder is named in problems ("monitoring")
   */
  public static Read read(Path dir, Predicate<String> wanted, String root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        if (!wanted.test(rel)) {
          ignored.add(rel);
          continue;
        }
        TextFile.Content c = TextFile.read(p, root.isEmpty() ? rel : root + "/" + rel);
        c.text().ifPresent(text -> files.put(rel, text));
        c.problem().ifPresent(problems::add);
      }
    }
    ignored.sort(null);
    return new Read(new RenderedTree(files), ignored, problems);
  }

  public static void write(RenderedTree tree, Path dir) throws IOException {
    for (Map.Entry<String, String> e : tree.files().entrySet()) {
      Path target = dir.resolve(e.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
