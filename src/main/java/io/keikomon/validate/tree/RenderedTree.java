package io.keikomon.validate.tree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of an output folder, as text keyed by their path relative to it ("prometheus/prometheus.yml").
 * {@code root} is how the folder is shown in messages (e.g. "monitoring"). It is either what render would
 * write, or what is on disk.
 */
public record RenderedTree(String root, SortedMap<String, String> files) {
  public RenderedTree {
    files = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  public static RenderedTree of(String root, Map<String, String> files) {
    return new RenderedTree(root, new TreeMap<>(files));
  }

  /** Reads every regular file below {@code dir}. */
  public static RenderedTree read(Path dir, String root) throws IOException {
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        files.put(rel, new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      }
    }
    return new RenderedTree(root, files);
  }

  /** The name a problem in {@code rel} is reported under. */
  public String display(String rel) {
    return root.isEmpty() ? rel : root + "/" + rel;
  }

  public RenderedTree with(String rel, String content) {
    TreeMap<String, String> copy = new TreeMap<>(files);
    copy.put(rel, content);
    return new RenderedTree(root, copy);
  }

  /** Writes the files below {@code dir} (a scratch folder for the oracles). */
  public void writeTo(Path dir) throws IOException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path target = dir.resolve(e.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
