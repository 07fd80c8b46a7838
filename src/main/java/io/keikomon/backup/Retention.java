package io.keikomon.backup;

import io.keikomon.core.FileAccessException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** {@code backup --keep N --dir DIR}: only the newest N backups of the project stay in DIR (for cron). */
final class Retention {
  private Retention() {}

  /** Removes all but the newest {@code keep} of {@code project}'s backups in {@code dir}; returns what went. */
  static List<Path> prune(Path dir, String project, int keep) {
    Pattern name = Pattern.compile(Pattern.quote(project) + "-\\d{8}T\\d{6}Z\\.tar\\.gz");
    List<Path> backups = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (name.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
          backups.add(p);
        }
      }
      // the name holds the UTC time, so name order is time order
      backups.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
      List<Path> removed = new ArrayList<>();
      for (Path old : backups.subList(Math.min(keep, backups.size()), backups.size())) {
        Files.delete(old);
        removed.add(old);
      }
      return removed;
    } catch (IOException e) {
      throw FileAccessException.of(e);
    }
  }
}
