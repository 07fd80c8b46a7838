package io.keikomon.render;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a render produces, in memory: paths relative to the output folder ({@code /}-separated, e.g.
 * {@code prometheus/prometheus.yml}) mapped to their text. Immutable and sorted by path.
 */
public final class RenderedTree {
  /** Files under this folder hold secrets: never print their content. */
  public static final String SECRETS_DIR = "secrets/";

  private final Map<String, String> files;

  public RenderedTree(Map<String, String> files) {
    this.files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  /** Every file, sorted by path. */
  public Map<String, String> files() {
    return files;
  }

  public Set<String> paths() {
    return files.keySet();
  }

  public boolean contains(String path) {
    return files.containsKey(path);
  }

  public Optional<String> text(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The text of a file the caller knows is there. */
  public String get(String path) {
    String text = files.get(path);
    if (text == null) {
      throw new IllegalArgumentException(path + " is not in the rendered tree " + files.keySet());
    }
    return text;
  }

  public byte[] bytes(String path) {
    return get(path).getBytes(StandardCharsets.UTF_8);
  }

  public static boolean isSecret(String path) {
    return path.startsWith(SECRETS_DIR);
  }

  public int size() {
    return files.size();
  }
}
