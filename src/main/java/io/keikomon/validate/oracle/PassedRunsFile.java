package io.keikomon.validate.oracle;

import io.keikomon.core.AtomicFiles;
import io.keikomon.core.FileAccessException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@link PassedRuns} in a file, one digest a line, newest last. It keeps the last {@link #KEPT} digests: about
 * ten validated states of a default project (one per rule file, per alert's tests and per config file), so
 * going back to an earlier keiko.yml finds its runs as well.
 */
public final class PassedRunsFile implements PassedRuns {
  static final int KEPT = 400;

  private final Path file;
  private LinkedHashSet<String> known;

  public PassedRunsFile(Path file) {
    this.file = file;
  }

  @Override
  public synchronized boolean contains(String key) {
    return known().contains(key);
  }

  @Override
  public synchronized void addAll(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    LinkedHashSet<String> all = known();
    all.removeAll(keys);
    all.addAll(keys);
    List<String> last = new ArrayList<>(all);
    last = last.subList(Math.max(0, last.size() - KEPT), last.size());
    known = new LinkedHashSet<>(last);
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, (String.join("\n", last) + "\n").getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
    } catch (IOException e) {
      throw FileAccessException.of("write", file, e);
    }
  }

  private LinkedHashSet<String> known() {
    if (known == null) {
      known = new LinkedHashSet<>();
      try {
        if (Files.isRegularFile(file)) {
          Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(known::add);
        }
      } catch (IOException e) {
        // an unreadable memory only costs a full run
      }
    }
    return known;
  }
}
